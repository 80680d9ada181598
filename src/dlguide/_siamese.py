"""Framework-free pieces of the Siamese twins, shared by :mod:`dlguide.torch.siamese` and
:mod:`dlguide.keras.siamese`: the checks of the embedding network's sizes and of the arguments
of the contrastive and triplet losses."""

from __future__ import annotations

from dlguide._checks import check_float, check_positive_int


def check_sizes(embedding_dim: int, in_channels: int, image_size: int) -> tuple[int, int, int]:
    """Return ``(embedding_dim, in_channels, image_size)`` once checked.

    All are ints >= 1, and ``image_size >= 4``, what the two 2x2 poolings need.
    """
    embedding_dim = check_positive_int("embedding_dim", embedding_dim)
    in_channels = check_positive_int("in_channels", in_channels)
    image_size = check_positive_int("image_size", image_size)
    if image_size < 4:
        raise ValueError(f"image_size must be >= 4 (two 2x2 poolings), got {image_size}")
    return embedding_dim, in_channels, image_size


def check_margin(margin: float) -> float:
    """Return the margin of a loss, a number > 0."""
    return check_float("margin", margin, minimum=0.0, exclusive_minimum=True)


def check_pair_shapes(d: tuple[int, ...], same: tuple[int, ...]) -> None:
    """Raise a ValueError unless the distances and the pair labels have the same shape."""
    if d != same:
        raise ValueError(f"d {d} and same {same} differ in shape")


def check_triplet_shapes(
    anchor: tuple[int, ...], positive: tuple[int, ...], negative: tuple[int, ...]
) -> None:
    """Raise a ValueError unless the three embeddings of a triplet have the same shape."""
    if not anchor == positive == negative:
        raise ValueError(
            f"anchor {anchor}, positive {positive} and negative {negative} must have the same shape"
        )
