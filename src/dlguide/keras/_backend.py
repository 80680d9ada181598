"""The check that a part of :mod:`dlguide.keras` written for TensorFlow runs on TensorFlow.

Most of ``dlguide.keras`` is plain Keras 3 and runs on any backend. A few parts call TensorFlow
itself (a ``tf.GradientTape`` in a custom ``train_step``, ``tf.distribute``, TensorFlow's device
list); they call :func:`require_tensorflow_backend` when they are built or called, not when
``dlguide.keras`` is imported, so the rest stays usable under another backend.
"""

from __future__ import annotations

import keras


def require_tensorflow_backend(what: str, reason: str) -> None:
    """Raise ``RuntimeError`` unless Keras runs on TensorFlow.

    Args:
        what: The public name of the part, e.g. ``"dlguide.keras.VAE"``.
        reason: Why it needs TensorFlow, completing "``what`` ...", e.g. ``"trains with a
            TensorFlow GradientTape"``.

    Raises:
        RuntimeError: If ``keras.config.backend()`` is not ``"tensorflow"``; the message names
            the backend in use and how to choose TensorFlow.

    Example:
        >>> require_tensorflow_backend("dlguide.keras.VAE", "trains with a TensorFlow GradientTape")
    """
    backend = keras.config.backend()
    if backend != "tensorflow":
        raise RuntimeError(
            f"{what} {reason} and needs the TensorFlow backend; Keras is using {backend!r}. "
            "Set KERAS_BACKEND=tensorflow before importing keras."
        )
