"""Shapes, pairs/triplets and super-resolution loaders: fixed shapes, dtypes, splits and seeds."""

import numpy as np
import pytest

from dlguide.data.pairs import make_pairs, make_triplets
from dlguide.data.shapes import load_shapes, make_shapes


def test_shapes_are_deterministic_and_documented():
    images, masks = make_shapes(6, seed=3)
    again_images, again_masks = make_shapes(6, seed=3)
    np.testing.assert_array_equal(images, again_images)
    np.testing.assert_array_equal(masks, again_masks)
    assert images.shape == masks.shape == (6, 64, 64)
    assert images.dtype == np.float32 and masks.dtype == np.int64
    assert images.min() >= 0 and images.max() <= 1
    assert set(np.unique(masks)) <= {0, 1}
    assert all(m.sum() > 0 for m in masks)  # every image holds at least one shape
    other, _ = make_shapes(6, seed=4)
    assert not np.array_equal(images, other)
    # Shapes are brighter than the background: the mean inside exceeds the mean outside.
    assert all(
        img[m == 1].mean() > img[m == 0].mean()
        for img, m in zip(images, masks, strict=True)
        if (m == 0).any()
    )


def test_shapes_size_options_and_errors():
    images, _ = make_shapes(2, image_size=16, max_shapes=1)
    assert images.shape == (2, 16, 16)
    with pytest.raises(ValueError, match="image_size"):
        make_shapes(2, image_size=4)
    with pytest.raises(TypeError, match="n"):
        make_shapes(2.0)
    with pytest.raises(ValueError, match="max_shapes"):
        make_shapes(2, max_shapes=0)


def test_load_shapes_fixed_split():
    (x_train, y_train), (x_test, y_test) = load_shapes(num_train=16, num_test=8)
    assert x_train.shape == y_train.shape == (16, 64, 64)
    assert x_test.shape == y_test.shape == (8, 64, 64)
    # The test set does not depend on the size of the training set, and differs from it.
    (_, _), (x_test_2, _) = load_shapes(num_train=4, num_test=8)
    np.testing.assert_array_equal(x_test, x_test_2)
    assert not np.array_equal(x_train[:8], x_test)


def _labelled():
    x = np.arange(30, dtype=np.float32).reshape(30, 1) * np.ones((1, 3), np.float32)
    return x, np.arange(30) % 3


def test_pairs_are_balanced_and_correctly_labelled():
    x, y = _labelled()
    x1, x2, same = make_pairs(x, y, num_pairs=101, seed=0)
    assert x1.shape == x2.shape == (101, 3) and same.shape == (101,) and same.dtype == np.float32
    assert int(same.sum()) == 50  # odd count: the extra pair is negative
    labels1, labels2 = x1[:, 0].astype(int) % 3, x2[:, 0].astype(int) % 3
    np.testing.assert_array_equal(labels1 == labels2, same == 1)
    positives = same == 1
    assert np.all(x1[positives, 0] != x2[positives, 0])  # two distinct examples, not one twice
    again = make_pairs(x, y, num_pairs=101, seed=0)
    np.testing.assert_array_equal(again[0], x1)


def test_triplets_have_matching_positives_and_foreign_negatives():
    x, y = _labelled()
    a, p, n = make_triplets(x, y, num_triplets=40, seed=1)
    assert a.shape == p.shape == n.shape == (40, 3)
    la, lp, ln = (t[:, 0].astype(int) % 3 for t in (a, p, n))
    assert np.all(la == lp) and np.all(la != ln) and np.all(a[:, 0] != p[:, 0])


def test_pairs_errors():
    x, y = _labelled()
    with pytest.raises(ValueError, match="2 classes"):
        make_pairs(x, np.zeros(30, dtype=int), num_pairs=4)
    with pytest.raises(ValueError, match="same length"):
        make_pairs(x, y[:10], num_pairs=4)
    with pytest.raises(TypeError, match="integer labels"):
        make_triplets(x, y.astype(float), num_triplets=4)
    with pytest.raises(ValueError, match="num_pairs"):
        make_pairs(x, y, num_pairs=1)


def test_superres_patches_split_by_image():
    from dlguide.data import superres
    from dlguide.metrics import psnr

    (x_train, y_train), (x_test, y_test) = superres.load_sr_patches(num_train=64, num_test=32)
    assert x_train.shape == y_train.shape == (64, 32, 32)
    assert x_test.shape == y_test.shape == (32, 32, 32)
    for a in (x_train, y_train, x_test, y_test):
        assert a.dtype == np.float32 and a.min() >= 0 and a.max() <= 1
    assert not set(superres.TRAIN_IMAGES) & set(superres.TEST_IMAGES)
    # The input is a degraded copy of the target: close but not equal.
    assert 15 < psnr(x_train, y_train) < 45
    (x_again, _), _ = superres.load_sr_patches(num_train=64, num_test=32)
    np.testing.assert_array_equal(x_again, x_train)
    with pytest.raises(ValueError, match="scale"):
        superres.load_sr_patches(scale=1)
    with pytest.raises(ValueError, match="patch_size"):
        superres.load_sr_patches(patch_size=300)


def test_superres_names_the_extra_when_scikit_image_is_missing(monkeypatch):
    import sys

    from dlguide.data.superres import load_sr_patches

    monkeypatch.setitem(sys.modules, "skimage", None)  # makes `import skimage...` fail
    with pytest.raises(ImportError, match=r'pip install "dlguide\[examples\]"'):
        load_sr_patches(num_train=1, num_test=1)
