"""Framework-free argument checks of the Transformer twins, shared by
:mod:`dlguide.torch.transformer` and :mod:`dlguide.keras.transformer`: small checks and the
checks of the character language model's and the vision transformer's sizes."""

from __future__ import annotations

from typing import Any

from dlguide._checks import check_choice, check_positive_int


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool (not merely truthy), else raise a TypeError."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {value!r} ({type(value).__name__})")
    return value


def check_heads(embed_dim: int, num_heads: int) -> None:
    """Raise a ValueError unless ``num_heads`` splits ``embed_dim`` into equal slices."""
    if embed_dim % num_heads:
        raise ValueError(
            f"embed_dim must be divisible by num_heads, got embed_dim={embed_dim}, "
            f"num_heads={num_heads}"
        )


def check_char_transformer(
    vocab_size: int, context_length: int, embed_dim: int, num_heads: int, num_layers: int
) -> tuple[int, int, int, int, int]:
    """Return ``(vocab_size, context_length, embed_dim, num_heads, num_layers)`` once checked."""
    vocab_size = check_positive_int("vocab_size", vocab_size)
    context_length = check_positive_int("context_length", context_length)
    embed_dim = check_positive_int("embed_dim", embed_dim)
    num_heads = check_positive_int("num_heads", num_heads)
    num_layers = check_positive_int("num_layers", num_layers)
    check_heads(embed_dim, num_heads)
    return vocab_size, context_length, embed_dim, num_heads, num_layers


def check_vision_transformer(
    image_size: int,
    patch_size: int,
    in_channels: int,
    num_classes: int,
    embed_dim: int,
    num_heads: int,
    num_layers: int,
    pool: str,
) -> tuple[int, int, int, int, int, int, int]:
    """Return ``(image_size, patch_size, in_channels, num_classes, embed_dim, num_heads,
    num_layers)`` once checked; ``pool`` must be ``"cls"`` or ``"mean"`` and ``patch_size`` must
    divide ``image_size``."""
    image_size = check_positive_int("image_size", image_size)
    patch_size = check_positive_int("patch_size", patch_size)
    in_channels = check_positive_int("in_channels", in_channels)
    num_classes = check_positive_int("num_classes", num_classes)
    embed_dim = check_positive_int("embed_dim", embed_dim)
    num_heads = check_positive_int("num_heads", num_heads)
    num_layers = check_positive_int("num_layers", num_layers)
    check_choice("pool", pool, ("cls", "mean"))
    check_heads(embed_dim, num_heads)
    if image_size % patch_size:
        raise ValueError(
            f"patch_size must divide image_size, got image_size={image_size}, "
            f"patch_size={patch_size}"
        )
    return image_size, patch_size, in_channels, num_classes, embed_dim, num_heads, num_layers
