"""Turn NumPy arrays from :mod:`dlguide.data` into ``tf.data`` pipelines for Keras."""

from __future__ import annotations

from typing import Any

from dlguide._adapter import check_adapter
from dlguide._checks import ArrayLike


def to_dataset(
    x: ArrayLike,
    y: ArrayLike | None = None,
    *,
    batch_size: int = 64,
    shuffle: bool = False,
    seed: int = 0,
) -> Any:  # a tf.data.Dataset (TensorFlow is imported when called)
    """Wrap arrays in a batched :class:`tf.data.Dataset`, the twin of ``dlguide.torch.to_loader``.

    Floating inputs become ``float32`` and integer inputs (token ids) ``int64``; integer labels
    stay ``int64`` and floating targets become ``float32``. ``model.fit`` takes the result
    directly (NumPy arrays work too; a dataset helps when data do not fit in memory).

    Args:
        x: Inputs, an array of shape ``(N, ...)``.
        y: Targets of shape ``(N, ...)``, or ``None`` for a dataset of inputs only.
        batch_size: Examples per batch, >= 1.
        shuffle: Reshuffle every epoch with a generator seeded by ``seed``.
        seed: Seed of the shuffling.

    Returns:
        A ``tf.data.Dataset`` yielding ``(x, y)`` batches, or ``x`` batches when ``y`` is None.

    Raises:
        ValueError: If the arrays are empty, hold NaN, or differ in length.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import to_dataset
        >>> dataset = to_dataset(np.zeros((10, 4)), np.arange(10), batch_size=4)
        >>> [int(xb.shape[0]) for xb, yb in dataset]
        [4, 4, 2]
    """
    import tensorflow as tf

    x, y, batch_size, seed = check_adapter(x, y, batch_size, seed)
    dataset = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size)
