"""Framework-free pieces of the U-Net twins, shared by :mod:`dlguide.torch.unet` and
:mod:`dlguide.keras.unet`: the checks of the network's sizes."""

from __future__ import annotations

from collections.abc import Sequence

from dlguide._checks import check_int_sequence, check_positive_int


def check_sizes(
    in_channels: int, num_classes: int, widths: Sequence[int]
) -> tuple[int, int, tuple[int, ...]]:
    """Return ``(in_channels, num_classes, widths)`` once checked; ``widths`` needs 2 levels."""
    in_channels = check_positive_int("in_channels", in_channels)
    num_classes = check_positive_int("num_classes", num_classes)
    levels = check_int_sequence("widths", widths, minimum=1)
    if len(levels) < 2:
        raise ValueError(f"widths needs at least 2 levels, got {levels}")
    return in_channels, num_classes, levels
