"""Mean IoU and PSNR on inputs whose answers are known by hand."""

import math

import numpy as np
import pytest

from dlguide.metrics import mean_iou, psnr


def test_mean_iou_of_known_masks():
    true = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])
    pred = np.array([[0, 1, 1, 1], [0, 0, 0, 1]])
    # class 0: 4 true cells, 4 predicted, 3 in both -> IoU 3 / (4 + 4 - 3) = 3/5
    # class 1: 4 true cells, 4 predicted, 3 in both -> IoU 3/5
    assert mean_iou(pred, true, num_classes=2) == pytest.approx(0.6)


def test_mean_iou_perfect_and_disjoint():
    true = np.array([0, 1, 2, 2])
    assert mean_iou(true, true, num_classes=3) == 1.0
    assert mean_iou(np.ones(4, dtype=int), np.zeros(4, dtype=int), num_classes=2) == 0.0


def test_mean_iou_skips_classes_absent_from_both():
    true = np.array([0, 0, 1, 1])
    # class 2 occurs nowhere: it must not drag the mean down to 2/3.
    assert mean_iou(true, true, num_classes=3) == 1.0


def test_mean_iou_bad_arguments():
    a = np.zeros((2, 2), dtype=int)
    with pytest.raises(ValueError, match="differ in shape"):
        mean_iou(a, np.zeros((2, 3), dtype=int), num_classes=2)
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        mean_iou(a + 2, a, num_classes=2)
    with pytest.raises(TypeError, match="integer labels"):
        mean_iou(a.astype(float), a, num_classes=2)
    with pytest.raises(TypeError, match="num_classes"):
        mean_iou(a, a, num_classes=2.0)
    with pytest.raises(ValueError, match="num_classes"):
        mean_iou(a, a, num_classes=0)


def test_psnr_of_identical_images_is_inf():
    image = np.random.default_rng(0).random((8, 8))
    assert psnr(image, image) == math.inf


def test_psnr_of_known_noise():
    clean = np.full((16, 16), 0.5)
    noise = np.where(np.arange(256).reshape(16, 16) % 2 == 0, 0.05, -0.05)  # MSE 0.0025
    assert psnr(clean + noise, clean) == pytest.approx(10 * math.log10(1 / 0.0025))  # 26.02 dB
    assert psnr(255 * (clean + noise), 255 * clean, data_range=255) == pytest.approx(
        26.0206, abs=1e-4
    )


def test_psnr_bad_arguments():
    with pytest.raises(ValueError, match="differ in shape"):
        psnr(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="data_range"):
        psnr(np.zeros(3), np.zeros(3), data_range=0)
    with pytest.raises(TypeError, match="data_range"):
        psnr(np.zeros(3), np.zeros(3), data_range="1")
