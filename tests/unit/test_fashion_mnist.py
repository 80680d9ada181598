"""Fashion-MNIST loader: fixed shapes, dtypes, class balance, the bundled file and errors."""

from importlib import resources

import numpy as np
import pytest

from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, FULL_DATA_DIR, load_fashion_mnist

HAS_FULL_COPY = (FULL_DATA_DIR / "train-images-idx3-ubyte.gz").is_file()


@pytest.fixture(scope="module")
def default_split():
    return load_fashion_mnist()


def test_default_shapes_dtypes_and_range(default_split):
    (x_train, y_train), (x_test, y_test) = default_split
    assert x_train.shape == (12_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert y_train.shape == (12_000,) and y_test.shape == (10_000,)
    assert x_train.dtype == x_test.dtype == np.float32
    assert y_train.dtype == y_test.dtype == np.int64
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert x_test.min() >= 0.0 and x_test.max() <= 1.0


def test_classes_are_balanced(default_split):
    (_, y_train), (_, y_test) = default_split
    assert np.bincount(y_train).tolist() == [1_200] * 10
    assert np.bincount(y_test).tolist() == [1_000] * 10
    assert len(FASHION_MNIST_CLASSES) == 10 and FASHION_MNIST_CLASSES[9] == "Ankle boot"


def test_smaller_subsets_are_the_first_images_of_each_class(default_split):
    (x_train, y_train), (x_test, _) = default_split
    (x_small, y_small), (x_small_test, _) = load_fashion_mnist(num_train=500, flatten=True)
    assert x_small.shape == (500, 784) and x_small_test.shape == (10_000, 784)
    assert np.bincount(y_small).tolist() == [50] * 10
    for c in range(10):
        expected = x_train[y_train == c][:50].reshape(50, 784)
        np.testing.assert_array_equal(x_small[y_small == c], expected)
    np.testing.assert_array_equal(x_small_test, x_test.reshape(10_000, 784))


def test_loading_is_deterministic(default_split):
    (x_train, y_train), _ = default_split
    (x_again, y_again), _ = load_fashion_mnist()
    np.testing.assert_array_equal(x_train, x_again)
    np.testing.assert_array_equal(y_train, y_again)


def test_bundled_file_and_licence():
    data = resources.files("dlguide").joinpath("_data")
    with resources.as_file(data.joinpath("fashion_mnist_subset.npz")) as path, np.load(path) as npz:
        assert sorted(npz.files) == ["x_test", "x_train", "y_test", "y_train"]
        assert all(npz[name].dtype == np.uint8 for name in npz.files)
        assert npz["x_train"].shape == (12_000, 28, 28)
        assert path.stat().st_size < 10_000_000
    licence = data.joinpath("FASHION_MNIST_LICENSE.txt").read_text()
    assert "Zalando" in licence and "Permission is hereby granted" in licence


@pytest.mark.skipif(not HAS_FULL_COPY, reason="needs Debian's dataset-fashion-mnist package")
def test_more_than_the_bundle_reads_the_full_copy(default_split):
    (x_train, y_train), _ = default_split
    (x_big, y_big), (x_test, _) = load_fashion_mnist(num_train=20_000)
    assert x_big.shape == (20_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert np.bincount(y_big).tolist() == [2_000] * 10
    for c in (0, 9):  # the bundled 1,200 per class are where the full copy's classes start
        np.testing.assert_array_equal(x_big[y_big == c][:1_200], x_train[y_train == c])


def test_more_than_the_bundle_without_a_full_copy_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="bundles 12000"):
        load_fashion_mnist(num_train=12_010, full_data_dir=tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"num_train": "100"}, TypeError, "num_train"),
        ({"num_train": 0}, ValueError, "num_train"),
        ({"num_train": 15}, ValueError, "multiple of 10"),
        ({"num_train": 60_010}, ValueError, "60000"),
        ({"flatten": 1}, TypeError, "flatten"),
        ({"full_data_dir": 5}, TypeError, "full_data_dir"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_fashion_mnist(**kwargs)


def test_loaders_import_no_framework():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dlguide.data.fashion_mnist import load_fashion_mnist\n"
        "from dlguide.data.mnist import load_mnist_5k\n"
        "load_fashion_mnist(num_train=10); load_mnist_5k()\n"
        "print([m for m in ('torch', 'tensorflow', 'keras', 'jax') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
