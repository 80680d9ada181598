"""PyTorch models, the training loop and device helpers.

Importing this subpackage imports :mod:`torch`; without it installed, the ImportError names the
extra to install (``pip install "dlguide[torch]"``).
"""

from dlguide._checks import missing_framework

try:
    import torch as _torch  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise missing_framework("torch", "PyTorch (torch)") from error

from dlguide.torch.data import to_loader
from dlguide.torch.device import get_device, seed_everything
from dlguide.torch.mlp import MLP
from dlguide.torch.serialization import load_weights, save_weights
from dlguide.torch.training import Callback, EarlyStopping, evaluate, fit, predict

__all__ = [
    "MLP",
    "Callback",
    "EarlyStopping",
    "evaluate",
    "fit",
    "get_device",
    "load_weights",
    "predict",
    "save_weights",
    "seed_everything",
    "to_loader",
]
