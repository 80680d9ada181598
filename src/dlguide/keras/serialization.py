"""Save and load Keras models and weights without ever running code from a file.

``.weights.h5`` files hold only arrays. ``.keras`` archives hold a JSON config plus weights and
are loaded with ``safe_mode=True``, which refuses archives that would deserialize Python code
(lambda layers); only classes registered as serializable (all dlguide models are) are rebuilt.
"""

from __future__ import annotations

import os

import keras

from dlguide._checks import check_path_suffix


def _check_model(model: object) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")


def save_weights(model: keras.Model, path: str | os.PathLike) -> None:
    """Write the model's weights to a ``.weights.h5`` file.

    Raises:
        TypeError: If ``model`` is not a Keras model.
        ValueError: If ``path`` does not end in ``.weights.h5``.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from dlguide.keras import MLP, load_weights, save_weights
        >>> model = MLP(num_inputs=4, num_outputs=2, num_hiddens=(8,))
        >>> x = np.ones((3, 4), dtype="float32")
        >>> copy = MLP(num_inputs=4, num_outputs=2, num_hiddens=(8,))  # other random weights
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     save_weights(model, os.path.join(folder, "mlp.weights.h5"))
        ...     copy = load_weights(copy, os.path.join(folder, "mlp.weights.h5"))
        >>> bool(np.allclose(model(x), copy(x)))
        True
    """
    _check_model(model)
    model.save_weights(check_path_suffix(path, ".weights.h5"))


def load_weights(model: keras.Model, path: str | os.PathLike) -> keras.Model:
    """Load weights saved by :func:`save_weights` into ``model`` (in place) and return it.

    Raises:
        TypeError: If ``model`` is not a Keras model.
        ValueError: If ``path`` is not a ``.weights.h5`` file or does not match the model.

    Example:
        The round trip is the example of :func:`save_weights`; another kind of file is refused:

        >>> from dlguide.keras import MLP, load_weights
        >>> load_weights(MLP(num_inputs=4, num_outputs=2), "mlp.pt")  # a pickle file
        Traceback (most recent call last):
        ...
        ValueError: path must end in '.weights.h5', got 'mlp.pt'
    """
    _check_model(model)
    path = check_path_suffix(path, ".weights.h5")
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

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from dlguide.keras import MLP, load_model, save_model
        >>> model = MLP(num_inputs=4, num_outputs=2, num_hiddens=(8,))
        >>> x = np.ones((3, 4), dtype="float32")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     save_model(model, os.path.join(folder, "mlp.keras"))
        ...     restored = load_model(os.path.join(folder, "mlp.keras"))
        >>> type(restored).__name__, bool(np.allclose(model(x), restored(x)))
        ('MLP', True)
    """
    _check_model(model)
    model.save(check_path_suffix(path, ".keras"))


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a ``.keras`` archive in safe mode (no code from the file is run).

    Raises:
        ValueError: If ``path`` is not a ``.keras`` file, or the archive asks to run code.

    Example:
        The round trip is the example of :func:`save_model`; another kind of file is refused:

        >>> from dlguide.keras import load_model
        >>> load_model("mlp.h5")  # not a .keras archive
        Traceback (most recent call last):
        ...
        ValueError: path must end in '.keras', got 'mlp.h5'
    """
    path = check_path_suffix(path, ".keras")
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except (ValueError, TypeError) as error:
        raise ValueError(f"refused to load {path!r} in safe mode: {error}") from error
