"""Framework-free argument checks of the Transformer twins, shared by
:mod:`dlguide.torch.transformer` and :mod:`dlguide.keras.transformer`."""

from __future__ import annotations

from typing import Any


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
