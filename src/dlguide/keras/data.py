"""Turn NumPy arrays from :mod:`dlguide.data` into ``tf.data`` pipelines for Keras."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_int, check_positive_int


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

    batch_size = check_positive_int("batch_size", batch_size)
    seed = check_int("seed", seed, minimum=0)
    x = check_array("x", x)
    if x.ndim == 0 or len(x) == 0:
        raise ValueError(f"x must have at least one example, got shape {x.shape}")
    x = x.astype(np.int64 if np.issubdtype(x.dtype, np.integer) else np.float32)
    tensors: tuple[np.ndarray, ...] = (x,)
    if y is not None:
        y = check_array("y", y)
        if y.ndim == 0 or len(y) != len(x):
            raise ValueError(f"y must have one target per example ({len(x)}), got shape {y.shape}")
        integer = np.issubdtype(y.dtype, np.integer) or y.dtype == np.bool_
        tensors = (x, y.astype(np.int64 if integer else np.float32))
    dataset = tf.data.Dataset.from_tensor_slices(tensors if y is not None else x)
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size)
