"""Framework-free pieces of the ResNet twins, shared by :mod:`dlguide.torch.resnet` and
:mod:`dlguide.keras.resnet`: the checks of a residual block's and of the network's arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dlguide._checks import check_int_sequence, check_positive_int


def check_stride(stride: Any) -> int:
    """Return ``stride`` if it is 1 or 2."""
    stride = check_positive_int("stride", stride)
    if stride not in (1, 2):
        raise ValueError(f"stride must be 1 or 2, got {stride}")
    return stride


def check_skip(skip: Any) -> bool:
    """Return ``skip`` if it is a bool (whether the blocks add their shortcut)."""
    if not isinstance(skip, bool):
        raise TypeError(f"skip must be a bool, got {type(skip).__name__}")
    return skip


def check_block(
    in_channels: int, out_channels: int, stride: int, skip: bool
) -> tuple[int, int, int, bool]:
    """Return a residual block's ``(in_channels, out_channels, stride, skip)`` once checked."""
    in_channels = check_positive_int("in_channels", in_channels)
    out_channels = check_positive_int("out_channels", out_channels)
    return in_channels, out_channels, check_stride(stride), check_skip(skip)


def check_resnet(
    num_classes: int, in_channels: int, widths: Sequence[int], blocks_per_stage: int, skip: bool
) -> tuple[int, int, tuple[int, ...], int, bool]:
    """Return the ResNet's ``(num_classes, in_channels, widths, blocks_per_stage, skip)``."""
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    stages = check_int_sequence("widths", widths, minimum=1, allow_empty=False)
    blocks_per_stage = check_positive_int("blocks_per_stage", blocks_per_stage)
    return num_classes, in_channels, stages, blocks_per_stage, check_skip(skip)
