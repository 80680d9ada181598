"""Save and load Keras models and weights without ever running code from a file.

``.weights.h5`` files hold only arrays. ``.keras`` archives hold a JSON config plus weights and
are loaded with ``safe_mode=True``, which refuses archives that would deserialize Python code
(lambda layers); only classes registered as serializable (all dlguide models are) are rebuilt.
"""

from __future__ import annotations

import os

import keras


def _check_model(model) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")


def _check_suffix(path, suffix: str) -> str:
    path = os.fspath(path)
    if not path.endswith(suffix):
        raise ValueError(f"path must end in {suffix!r}, got {path!r}")
    return path


def save_weights(model: keras.Model, path: str | os.PathLike) -> None:
    """Write the model's weights to a ``.weights.h5`` file.

    Raises:
        TypeError: If ``model`` is not a Keras model.
        ValueError: If ``path`` does not end in ``.weights.h5``.
    """
    _check_model(model)
    model.save_weights(_check_suffix(path, ".weights.h5"))


def load_weights(model: keras.Model, path: str | os.PathLike) -> keras.Model:
    """Load weights saved by :func:`save_weights` into ``model`` (in place) and return it.

    Raises:
        TypeError: If ``model`` is not a Keras model.
        ValueError: If ``path`` is not a ``.weights.h5`` file or does not match the model.
    """
    _check_model(model)
    path = _check_suffix(path, ".weights.h5")
    try:
        model.load_weights(path)
    except (ValueError, KeyError, OSError) as error:
        raise ValueError(f"weights in {path!r} do not match the model: {error}") from error
    return model


def save_model(model: keras.Model, path: str | os.PathLike) -> None:
    """Write architecture and weights to a ``.keras`` archive.

    Raises:
        TypeError: If ``model`` is not a Keras model.
        ValueError: If ``path`` does not end in ``.keras``.
    """
    _check_model(model)
    model.save(_check_suffix(path, ".keras"))


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a ``.keras`` archive in safe mode (no code from the file is run).

    Raises:
        ValueError: If ``path`` is not a ``.keras`` file, or the archive asks to run code.
    """
    path = _check_suffix(path, ".keras")
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except (ValueError, TypeError) as error:
        raise ValueError(f"refused to load {path!r} in safe mode: {error}") from error
