"""Framework-free pieces of text sampling, shared by the PyTorch and Keras ``generate``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlguide._checks import check_array, check_float, check_int, check_positive_int


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


def check_generate(
    model: Any,
    prompt_ids: Sequence[int] | np.ndarray,
    length: int,
    temperature: float,
    seed: int,
    max_context: int | None,
) -> tuple[np.ndarray, int, float, int, int | None]:
    """Check the arguments of ``generate``; return ``(prompt, length, temperature, seed,
    max_context)``, where a ``max_context`` of ``None`` becomes ``model.context_length`` if the
    model has one (the prompt is checked against ``model.vocab_size`` likewise)."""
    prompt = check_prompt(prompt_ids, getattr(model, "vocab_size", None))
    length = check_int("length", length, minimum=0)
    temperature = check_float("temperature", temperature, minimum=0.0, exclusive_minimum=True)
    seed = check_int("seed", seed, minimum=0)
    if max_context is None:
        max_context = getattr(model, "context_length", None)
    if max_context is not None:
        max_context = check_positive_int("max_context", max_context)
    return prompt, length, temperature, seed, max_context


def sample_next(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """Draw one id from ``softmax(logits / temperature)`` (``logits`` of shape ``(V,)``)."""
    scaled = logits.astype(np.float64) / temperature
    probs = np.exp(scaled - scaled.max())
    probs /= probs.sum()
    return int(rng.choice(len(probs), p=probs))
