"""The 8x8 handwritten digits of scikit-learn (1,797 images, 10 classes)."""

from __future__ import annotations

import numpy as np

from dlguide._checks import check_float, check_int
from dlguide.data._types import Split


def load_digits(*, flatten: bool = False, test_fraction: float = 0.25, seed: int = 0) -> Split:
    """Load the UCI optical digits bundled with scikit-learn, split into train and test.

    1,797 grey images of 8x8 pixels, 10 classes (about 180 each). Pixels are scaled from the
    original 0..16 to ``float32`` in [0, 1]. The split is stratified by class and fixed by
    ``seed``; with the defaults the test set has 450 images.

    Source: Alpaydin & Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning
    Repository (1998), CC BY 4.0, as shipped in ``sklearn.datasets.load_digits``.

    Args:
        flatten: Return images as rows of 64 values instead of 8x8 arrays.
        test_fraction: Fraction of each class held out for testing, in (0, 1).
        seed: Seed of the split, a non-negative int.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images of shape ``(N, 8, 8)`` (or ``(N, 64)``)
        and dtype ``float32``, labels of shape ``(N,)`` and dtype ``int64``.

    Example:
        >>> from dlguide.data import load_digits
        >>> (x_train, y_train), (x_test, y_test) = load_digits()
        >>> x_train.shape, x_test.shape
        ((1347, 8, 8), (450, 8, 8))
    """
    from sklearn.datasets import load_digits as _sklearn_digits
    from sklearn.model_selection import train_test_split

    if not isinstance(flatten, bool):
        raise TypeError(f"flatten must be a bool, got {type(flatten).__name__}")
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, exclusive_minimum=True)
    if test_fraction >= 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    seed = check_int("seed", seed, minimum=0)

    bunch = _sklearn_digits()
    x = (bunch.images / 16.0).astype(np.float32)  # (1797, 8, 8), values in [0, 1]
    y = bunch.target.astype(np.int64)
    if flatten:
        x = x.reshape(len(x), -1)  # (1797, 8, 8) -> (1797, 64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    return (x_train, y_train), (x_test, y_test)
