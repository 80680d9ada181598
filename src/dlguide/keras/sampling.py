"""Sampling text from a character model, the Keras twin of :mod:`dlguide.torch.sampling`.

A character language model gives, at every position, logits over the next character. To write
new text we feed a prompt, turn the logits of the last position into probabilities (divided by a
*temperature*: below 1 sharpens the distribution, above 1 flattens it), draw one character, append
it and repeat. The loop knows nothing about the model beyond ``(B, T) ids -> (B, T, V) logits``.
It runs on any Keras backend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np

from dlguide._sampling import check_generate, sample_next
from dlguide.keras._types import Tensor


def _last_logits_function(model: keras.Model) -> Callable[[np.ndarray], Tensor]:
    """A function ``ids (1, T) -> logits (V,)`` of the model's last position, in inference mode.

    TensorFlow runs a model eagerly op by op, which is slow for a recurrent layer stepping
    through time, so on that backend the call is compiled once with ``tf.function`` (for any
    ``T``); other backends call the model directly.
    """

    def last_logits(x: np.ndarray) -> Tensor:
        return model(x, training=False)[0, -1]  # (1, T, V) -> (V,)

    if keras.config.backend() != "tensorflow":
        return last_logits
    import tensorflow as tf

    return tf.function(last_logits, input_signature=[tf.TensorSpec((1, None), tf.int32)])


def generate(
    model: keras.Model,
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
    On the TensorFlow backend the forward pass is compiled once (``tf.function`` over any
    sequence length), so each new character costs one graph call, not one eager pass.

    Args:
        model: A character model mapping ``(B, T)`` int ids to ``(B, T, V)`` logits.
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
        >>> from dlguide.keras.recurrent import CharLanguageModel
        >>> from dlguide.keras.sampling import generate
        >>> model = CharLanguageModel(vocab_size=5)
        >>> generate(model, [0, 1], length=3).shape
        (5,)
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    prompt, length, temperature, seed, max_context = check_generate(
        model, prompt_ids, length, temperature, seed, max_context
    )

    last_logits = _last_logits_function(model)
    rng = np.random.default_rng(seed)
    ids = list(prompt)
    for _ in range(length):
        context = ids if max_context is None else ids[-max_context:]
        x = np.asarray([context], dtype=np.int32)  # (1, T)
        logits = keras.ops.convert_to_numpy(last_logits(x))
        ids.append(sample_next(logits, temperature, rng))
    return np.asarray(ids, dtype=np.int64)
