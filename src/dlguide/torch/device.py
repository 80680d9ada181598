"""Pick a device (cuda, then mps, then cpu) and seed every random generator."""

from __future__ import annotations

import random

import numpy as np
import torch

from dlguide._checks import check_choice, check_int

DEVICE_NAMES = ("cuda", "mps", "cpu")


def get_device(name: str | None = None) -> torch.device:
    """Return the device to train on.

    Args:
        name: ``"cuda"``, ``"mps"`` or ``"cpu"`` to ask for one device, or ``None`` for the best
            one present: an NVIDIA GPU (cuda), then an Apple-silicon GPU (mps), then the CPU.

    Returns:
        A :class:`torch.device`.

    Raises:
        ValueError: If ``name`` is not a known device name, or names a device that is absent.

    Example:
        >>> from dlguide.torch import get_device
        >>> get_device("cpu")
        device(type='cpu')
    """
    if name is None:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    check_choice("name", name, DEVICE_NAMES)
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("name='cuda' was asked for, but no CUDA GPU is available here")
    if name == "mps" and not torch.backends.mps.is_available():
        raise ValueError("name='mps' was asked for, but no Apple MPS device is available here")
    return torch.device(name)


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's generators (CPU and every GPU).

    Args:
        seed: A non-negative int.

    Example:
        >>> from dlguide.torch import seed_everything
        >>> seed_everything(0)
    """
    seed = check_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 - code that uses the global generator
    torch.manual_seed(seed)  # also seeds cuda and mps generators
