"""Framework-free pieces of the GAN twins, shared by :mod:`dlguide.torch.gan` and
:mod:`dlguide.keras.gan`: the image size of the DCGAN pair and the check of its channels."""

from __future__ import annotations

from typing import Any

from dlguide._checks import check_int_sequence

IMAGE_SIZE = 28


def check_channels(channels: Any) -> tuple[int, ...]:
    """Return ``channels`` as 1 or 2 ints >= 1, one per 2x resampling (28 -> 14 -> 7)."""
    channels = check_int_sequence("channels", channels, minimum=1, allow_empty=False)
    if len(channels) > 2:
        raise ValueError(f"channels must have 1 or 2 entries (28 -> 14 -> 7), got {channels}")
    return channels
