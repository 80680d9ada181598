"""Fashion-MNIST: 28x28 grey images of clothing in 10 classes (Xiao, Rasul & Vollgraf, 2017).

dlguide ships a fixed subset inside the package (``dlguide/_data/fashion_mnist_subset.npz``,
written by ``tools/make_fashion_mnist_subset.py``): the first 1,200 training images of each class
in file order (12,000 images) and all 10,000 official test images. Larger training sets are read
from a full local copy of the four standard idx ``.gz`` files when one exists (on Debian and
Ubuntu: ``apt install dataset-fashion-mnist``, which puts them in
``/usr/share/datasets/fashion-mnist``). Nothing is downloaded.

Source: Xiao, Rasul & Vollgraf (2017), "Fashion-MNIST: a Novel Image Dataset for Benchmarking
Machine Learning Algorithms", https://arxiv.org/abs/1708.07747,
https://github.com/zalandoresearch/fashion-mnist. Licence: MIT, Copyright (c) 2017 Zalando SE
(the text ships as ``dlguide/_data/FASHION_MNIST_LICENSE.txt``).
"""

from __future__ import annotations

import gzip
import os
from importlib import resources
from pathlib import Path

import numpy as np

from dlguide._checks import check_int
from dlguide.data._types import Split

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
BUNDLED_NUM_TRAIN = 12_000  # 1,200 per class ship with dlguide
FULL_NUM_TRAIN = 60_000  # 6,000 per class in the official training set
FULL_DATA_DIR = Path("/usr/share/datasets/fashion-mnist")  # the Debian package's copy


def _read_idx(path: Path) -> np.ndarray:
    """Read one gzipped idx file of uint8 values (labels or images)."""
    with gzip.open(path, "rb") as file:
        data = file.read()
    magic = int.from_bytes(data[:4], "big")
    ndim = magic & 0xFF
    if magic >> 8 != 0x08 or ndim not in (1, 3):
        raise ValueError(f"{path} is not an idx file of uint8 values (magic {magic:#x})")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _first_per_class(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Indices of the first ``per_class`` examples of each class, in file order."""
    chosen = [np.flatnonzero(labels == c)[:per_class] for c in range(len(FASHION_MNIST_CLASSES))]
    return np.sort(np.concatenate(chosen))


def load_fashion_mnist(
    *,
    num_train: int = BUNDLED_NUM_TRAIN,
    flatten: bool = False,
    full_data_dir: str | os.PathLike | None = None,
) -> Split:
    """Load Fashion-MNIST: a class-balanced training subset and the full official test set.

    The training images are the first ``num_train // 10`` images of each class of the official
    training set, in file order, so the subset is fixed and every class has the same count. The
    test set is always all 10,000 official test images (1,000 per class). Pixels are scaled from
    0..255 to ``float32`` in [0, 1].

    Up to 12,000 training images come from the copy bundled with dlguide. For more (up to
    60,000) the full local copy of the idx files in ``full_data_dir`` is read; the subsets agree,
    so ``num_train=20000`` starts from the same 1,200 images per class as the default.

    Source: Xiao, Rasul & Vollgraf (2017), https://arxiv.org/abs/1708.07747; MIT licence,
    Copyright (c) 2017 Zalando SE.

    Args:
        num_train: Training images, a multiple of 10 between 10 and 60,000.
        flatten: Return images as rows of 784 values instead of 28x28 arrays.
        full_data_dir: Folder with ``train-images-idx3-ubyte.gz`` and
            ``train-labels-idx1-ubyte.gz``, read only when ``num_train > 12000``; default
            ``/usr/share/datasets/fashion-mnist`` (Debian's ``dataset-fashion-mnist``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images of shape ``(N, 28, 28)`` (or
        ``(N, 784)``) and dtype ``float32``, labels of shape ``(N,)`` and dtype ``int64``, with
        ``N = num_train`` for training and ``N = 10000`` for testing. Class names are in
        :data:`FASHION_MNIST_CLASSES`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``num_train`` is not a multiple of 10 in [10, 60000], or is above 12,000
            and no full copy is found in ``full_data_dir``.

    Example:
        >>> from dlguide.data import load_fashion_mnist
        >>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=1000)
        >>> x_train.shape, x_test.shape
        ((1000, 28, 28), (10000, 28, 28))
    """
    num_train = check_int("num_train", num_train, minimum=10)
    if num_train > FULL_NUM_TRAIN:
        raise ValueError(
            f"num_train must be <= {FULL_NUM_TRAIN} (the official training set), got {num_train}"
        )
    if num_train % 10:
        raise ValueError(f"num_train must be a multiple of 10 (balanced classes), got {num_train}")
    if not isinstance(flatten, bool):
        raise TypeError(f"flatten must be a bool, got {type(flatten).__name__}")
    if full_data_dir is not None and not isinstance(full_data_dir, (str, os.PathLike)):
        raise TypeError(f"full_data_dir must be a path or None, got {type(full_data_dir).__name__}")

    bundled = resources.files("dlguide").joinpath("_data", "fashion_mnist_subset.npz")
    with resources.as_file(bundled) as path, np.load(path) as archive:
        x_test, y_test = archive["x_test"], archive["y_test"]  # (10000, 28, 28), (10000,)
        if num_train <= BUNDLED_NUM_TRAIN:
            x_train, y_train = archive["x_train"], archive["y_train"]  # (12000, 28, 28), (12000,)
    if num_train > BUNDLED_NUM_TRAIN:
        folder = Path(full_data_dir) if full_data_dir is not None else FULL_DATA_DIR
        images = folder / "train-images-idx3-ubyte.gz"
        labels = folder / "train-labels-idx1-ubyte.gz"
        if not (images.is_file() and labels.is_file()):
            raise ValueError(
                f"num_train={num_train} needs the full Fashion-MNIST training set, but "
                f"{images.name} and {labels.name} are not both in {str(folder)!r}; dlguide bundles "
                f"{BUNDLED_NUM_TRAIN} training images (on Debian/Ubuntu: apt install "
                "dataset-fashion-mnist, or pass full_data_dir)"
            )
        x_train, y_train = _read_idx(images), _read_idx(labels)  # (60000, 28, 28), (60000,)
    keep = _first_per_class(y_train, num_train // 10)  # (num_train,)

    def prepare(x: np.ndarray) -> np.ndarray:
        x = x.astype(np.float32) / 255.0  # uint8 0..255 -> float32 in [0, 1]
        return x.reshape(len(x), -1) if flatten else x  # (N, 28, 28) -> (N, 784)

    return (
        (prepare(x_train[keep]), y_train[keep].astype(np.int64)),
        (prepare(x_test), y_test.astype(np.int64)),
    )
