"""Framework-free pieces of the capsule-network twins, shared by :mod:`dlguide.torch.capsule`
and :mod:`dlguide.keras.capsule`: the checks of ``CapsuleNet``'s sizes and of the margin loss's
constants, and the side of the grid of primary capsules."""

from __future__ import annotations

from dlguide._checks import check_float, check_int, check_positive_int


def check_capsule_net(
    num_classes: int, image_size: int, in_channels: int, conv_channels: int, reconstruction: bool
) -> tuple[int, int, int, int]:
    """Return ``(num_classes, image_size, in_channels, conv_channels)`` once checked.

    ``image_size`` must be at least 17, what the two 9x9 convolutions need; ``reconstruction``
    must be a bool.
    """
    num_classes = check_positive_int("num_classes", num_classes)
    image_size = check_int("image_size", image_size, minimum=17)
    in_channels = check_positive_int("in_channels", in_channels)
    conv_channels = check_positive_int("conv_channels", conv_channels)
    if not isinstance(reconstruction, bool):
        raise TypeError(f"reconstruction must be a bool, got {type(reconstruction).__name__}")
    return num_classes, image_size, in_channels, conv_channels


def primary_grid(image_size: int) -> int:
    """Side of the grid of primary capsules: a 9x9 convolution, then a 9x9 stride-2 one.

    >>> primary_grid(28)  # 28 -> 20 -> 6
    6
    """
    return ((image_size - 8) - 9) // 2 + 1


def check_margins(m_plus: float, m_minus: float, down_weight: float) -> tuple[float, float, float]:
    """Return the margin loss's ``(m_plus, m_minus, down_weight)``, each a number >= 0."""
    m_plus = check_float("m_plus", m_plus, minimum=0.0)
    m_minus = check_float("m_minus", m_minus, minimum=0.0)
    down_weight = check_float("down_weight", down_weight, minimum=0.0)
    return m_plus, m_minus, down_weight
