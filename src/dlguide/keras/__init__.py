"""Keras 3 twins of the PyTorch models, on the TensorFlow backend.

Each file here mirrors its twin in :mod:`dlguide.torch` section by section, with the same public
names and defaults. Importing this subpackage sets ``KERAS_BACKEND=tensorflow`` unless you chose
a backend already, then imports Keras; without Keras installed, the ImportError names the extra
to install (``pip install "dlguide[keras]"``).
"""

import os

from dlguide._checks import missing_framework

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

try:
    import keras as _keras  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise missing_framework("keras", "Keras 3 with TensorFlow (keras, tensorflow)") from error

from dlguide.keras.device import get_device, seed_everything
from dlguide.keras.mlp import MLP
from dlguide.keras.serialization import load_model, load_weights, save_model, save_weights

__all__ = [
    "MLP",
    "get_device",
    "load_model",
    "load_weights",
    "save_model",
    "save_weights",
    "seed_everything",
]
