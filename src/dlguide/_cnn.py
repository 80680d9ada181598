"""Framework-free pieces of the LeNet twins, shared by :mod:`dlguide.torch.cnn` and
:mod:`dlguide.keras.cnn`: the kernel-size check, the shape arithmetic of the pooling blocks and
the record of the shipped pretrained weights."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from dlguide._checks import check_positive_int

PRETRAINED_NAME = "lenet_fashion_mnist"


def check_kernel_size(kernel_size: Any) -> int:
    """Return ``kernel_size`` if it is an odd int >= 1 (so "same" padding is symmetric)."""
    kernel_size = check_positive_int("kernel_size", kernel_size)
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    return kernel_size


def pooled_size(image_size: int, num_blocks: int) -> int:
    """Side of the feature map after ``num_blocks`` 2x2 poolings, or a ValueError if below 1."""
    size = image_size
    for _ in range(num_blocks):
        size //= 2  # each block halves the side, rounding down
    if size < 1:
        raise ValueError(
            f"image_size={image_size} is too small for {num_blocks} pooling blocks "
            f"(needs >= {2**num_blocks})"
        )
    return size


def load_pretrained_config() -> dict:
    """The json written next to the shipped LeNet weights (arguments, seed, epochs, accuracy)."""
    text = resources.files("dlguide").joinpath("_data", f"{PRETRAINED_NAME}.json").read_text()
    return json.loads(text)
