"""Turn NumPy arrays from :mod:`dlguide.data` into PyTorch data loaders."""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, TensorDataset

from dlguide._adapter import check_adapter
from dlguide._checks import ArrayLike


def to_loader(
    x: ArrayLike,
    y: ArrayLike | None = None,
    *,
    batch_size: int = 64,
    shuffle: bool = False,
    seed: int = 0,
) -> DataLoader:
    """Wrap arrays in a :class:`~torch.utils.data.DataLoader`.

    Floating inputs become ``float32`` and integer inputs (token ids for an embedding) ``int64``;
    integer labels become ``int64`` (what :func:`torch.nn.functional.cross_entropy` expects);
    floating targets become ``float32``.

    Args:
        x: Inputs, an array of shape ``(N, ...)``.
        y: Targets of shape ``(N, ...)``, or ``None`` for a loader of inputs only.
        batch_size: Examples per batch, >= 1.
        shuffle: Reshuffle every epoch (with a generator seeded by ``seed``).
        seed: Seed of the shuffling generator.

    Returns:
        A data loader yielding ``(x, y)`` batches, or ``(x,)`` when ``y`` is ``None``.

    Raises:
        ValueError: If the arrays are empty, hold NaN, or differ in length.

    Example:
        >>> import numpy as np
        >>> from dlguide.torch import to_loader
        >>> loader = to_loader(np.zeros((10, 4)), np.arange(10), batch_size=4)
        >>> [len(xb) for xb, yb in loader]
        [4, 4, 2]
    """
    x, y, batch_size, seed = check_adapter(x, y, batch_size, seed)
    tensors = [torch.from_numpy(x)] + ([] if y is None else [torch.from_numpy(y)])
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(
        TensorDataset(*tensors), batch_size=batch_size, shuffle=shuffle, generator=generator
    )
