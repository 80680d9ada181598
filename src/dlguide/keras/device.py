"""Device and seeding helpers for Keras on TensorFlow, twins of :mod:`dlguide.torch.device`.

:func:`get_device` asks TensorFlow which devices it sees and needs the TensorFlow backend;
:func:`seed_everything` runs on any backend.
"""

from __future__ import annotations

import keras

from dlguide._checks import check_choice, check_int
from dlguide.keras._backend import require_tensorflow_backend

DEVICE_NAMES = ("gpu", "cpu")


def get_device(name: str | None = None) -> str:
    """Return a TensorFlow device string to use with ``tf.device(...)``.

    TensorFlow places work on a GPU by itself when one is visible (CUDA on Linux, Metal on Apple
    silicon with ``tensorflow-metal``), so this mostly tells you what it will use.

    Args:
        name: ``"gpu"`` or ``"cpu"``, or ``None`` for a GPU when one is visible, else the CPU.

    Returns:
        ``"/GPU:0"`` or ``"/CPU:0"``.

    Raises:
        ValueError: If ``name`` is unknown, or ``"gpu"`` is asked for and none is visible.
        RuntimeError: If Keras runs on a backend other than TensorFlow, whose devices are not
            TensorFlow's.

    Example:
        >>> from dlguide.keras import get_device
        >>> get_device("cpu")
        '/CPU:0'
    """
    require_tensorflow_backend("dlguide.keras.get_device", "asks TensorFlow for its devices")
    import tensorflow as tf

    has_gpu = bool(tf.config.list_physical_devices("GPU"))
    if name is None:
        return "/GPU:0" if has_gpu else "/CPU:0"
    check_choice("name", name, DEVICE_NAMES)
    if name == "gpu" and not has_gpu:
        raise ValueError("name='gpu' was asked for, but TensorFlow sees no GPU here")
    return "/GPU:0" if name == "gpu" else "/CPU:0"


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and the Keras backend's generators (``keras.utils.set_random_seed``).

    Args:
        seed: A non-negative int.

    Example:
        >>> from dlguide.keras import seed_everything
        >>> seed_everything(0)
    """
    seed = check_int("seed", seed, minimum=0)
    keras.utils.set_random_seed(seed)
