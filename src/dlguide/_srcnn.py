"""Framework-free pieces of the SRCNN twins, shared by :mod:`dlguide.torch.srcnn` and
:mod:`dlguide.keras.srcnn`: the checks of the network's sizes."""

from __future__ import annotations

from collections.abc import Sequence

from dlguide._checks import check_int_sequence, check_positive_int


def check_sizes(
    channels: int, widths: Sequence[int], kernel_sizes: Sequence[int]
) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """Return ``(channels, widths, kernel_sizes)`` once checked.

    ``kernel_sizes`` needs one entry per hidden layer plus one for the output layer, each odd so
    that "same" padding is symmetric.
    """
    channels = check_positive_int("channels", channels)
    hidden = check_int_sequence("widths", widths, minimum=1, allow_empty=False)
    kernels = check_int_sequence("kernel_sizes", kernel_sizes, minimum=1)
    if len(kernels) != len(hidden) + 1:
        raise ValueError(
            f"kernel_sizes needs len(widths) + 1 = {len(hidden) + 1} entries, got {kernels}"
        )
    if any(k % 2 == 0 for k in kernels):
        raise ValueError(f"kernel_sizes must be odd so 'same' padding is symmetric, got {kernels}")
    return channels, hidden, kernels
