"""Sampling text from a character model, shared by :mod:`~dlguide.torch.recurrent` and
:mod:`~dlguide.torch.transformer`.

A character language model gives, at every position, logits over the next character. To write
new text we feed a prompt, turn the logits of the last position into probabilities (divided by a
*temperature*: below 1 sharpens the distribution, above 1 flattens it), draw one character, append
it and repeat. The loop knows nothing about the model beyond ``(B, T) ids -> (B, T, V) logits``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from dlguide._sampling import check_generate, sample_next


@torch.no_grad()
def generate(
    model: nn.Module,
    prompt_ids: Sequence[int] | np.ndarray,
    *,
    length: int,
    temperature: float = 1.0,
    seed: int = 0,
    max_context: int | None = None,
) -> np.ndarray:
    """Continue ``prompt_ids`` by ``length`` characters sampled from ``model``.

    At each step the model reads the last ``max_context`` ids (the whole text so far for a
    recurrent model, at most ``context_length`` for a transformer), and one id is drawn from the
    softmax of the last position's logits divided by ``temperature``. Sampling uses a NumPy
    generator seeded by ``seed``, so equal probabilities give equal text in both frameworks.

    Args:
        model: A character model mapping ``(B, T)`` int64 ids to ``(B, T, V)`` logits.
        prompt_ids: The ids to start from, a non-empty 1-D sequence of ints in ``[0, V)``.
        length: Number of new ids to draw, >= 0.
        temperature: Divisor of the logits, > 0; small values approach greedy decoding.
        seed: Seed of the sampling, a non-negative int.
        max_context: Ids the model sees per step; ``None`` uses ``model.context_length`` when the
            model has one, else everything generated so far.

    Returns:
        A 1-D ``int64`` array: the prompt followed by ``length`` sampled ids.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an id is outside the model's vocabulary (``model.vocab_size``) or a number
            is out of range.

    Example:
        >>> from dlguide.torch.recurrent import CharLanguageModel
        >>> from dlguide.torch.sampling import generate
        >>> model = CharLanguageModel(vocab_size=5)
        >>> generate(model, [0, 1], length=3).shape
        (5,)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    prompt, length, temperature, seed, max_context = check_generate(
        model, prompt_ids, length, temperature, seed, max_context
    )

    rng = np.random.default_rng(seed)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    ids = list(prompt)
    try:
        for _ in range(length):
            context = ids if max_context is None else ids[-max_context:]
            x = torch.tensor([context], dtype=torch.int64, device=device)  # (1, T)
            logits = model(x)[0, -1]  # (1, T, V) -> (V,)
            ids.append(sample_next(logits.float().cpu().numpy(), temperature, rng))
    finally:
        model.train(was_training)
    return np.asarray(ids, dtype=np.int64)
