"""Framework-free pieces of text sampling, shared by the PyTorch and Keras ``generate``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlguide._checks import check_array


def check_prompt(prompt_ids: Sequence[int] | np.ndarray, vocab_size: int | None) -> np.ndarray:
    """Return ``prompt_ids`` as a non-empty 1-D ``int64`` array of ids in ``[0, vocab_size)``."""
    prompt = check_array("prompt_ids", prompt_ids, ndim=1)
    if prompt.size == 0:
        raise ValueError("prompt_ids must hold at least one id, got an empty sequence")
    if not np.issubdtype(prompt.dtype, np.integer):
        raise TypeError(f"prompt_ids must hold ints, got an array of dtype {prompt.dtype}")
    if prompt.min() < 0:
        raise ValueError(f"prompt_ids must be non-negative, got {int(prompt.min())}")
    if vocab_size is not None and prompt.max() >= vocab_size:
        raise ValueError(f"prompt_ids must be < vocab_size={vocab_size}, got {int(prompt.max())}")
    return prompt.astype(np.int64)


def sample_next(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """Draw one id from ``softmax(logits / temperature)`` (``logits`` of shape ``(V,)``)."""
    scaled = logits.astype(np.float64) / temperature
    probs = np.exp(scaled - scaled.max())
    probs /= probs.sum()
    return int(rng.choice(len(probs), p=probs))
