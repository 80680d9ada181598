"""The sunspot loader: fixed shapes and split, a chronological split, scaling without leakage."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.data.series import SeriesSplit, load_sunspots, make_windows


def test_default_shapes_dtypes_and_split():
    data = load_sunspots()
    assert isinstance(data, SeriesSplit)
    (x_train, y_train), (x_test, y_test) = data.train, data.test
    assert data.years.shape == data.values.shape == (309,)
    assert data.years[0] == 1700 and data.years[-1] == 2008
    assert data.years.dtype == np.int64 and data.values.dtype == np.float32
    assert x_train.shape == (228, 24, 1) and y_train.shape == (228, 1)
    assert x_test.shape == (57, 24, 1) and y_test.shape == (57, 1)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.float32)}
    assert data.split_year == 1952


def test_split_is_chronological_and_targets_line_up_with_years():
    data = load_sunspots(window=10, test_fraction=0.25)
    targets = np.concatenate([data.train[1], data.test[1]])[:, 0]
    np.testing.assert_allclose(data.unscale(targets), data.values[10:], rtol=1e-5, atol=1e-3)
    # The test targets are exactly the last years, starting at split_year.
    test_years = data.years[-len(data.test[1]) :]
    assert test_years[0] == data.split_year
    assert data.years[10 + len(data.train[1]) - 1] == data.split_year - 1


def test_scaling_uses_the_training_years_only():
    data = load_sunspots(window=24)
    train_part = data.values[: 24 + len(data.train[1])]
    assert data.mean == pytest.approx(float(train_part.mean()))
    assert data.std == pytest.approx(float(train_part.std()))
    assert data.mean != pytest.approx(float(data.values.mean()))
    scaled_train = np.concatenate([data.train[0][0, :, 0], data.train[1][:, 0]])
    np.testing.assert_allclose(scaled_train.mean(), 0.0, atol=1e-5)


def test_windows_slide_by_one_year():
    x, y = load_sunspots(window=5).train
    np.testing.assert_array_equal(x[1:, -1], y[:-1])
    np.testing.assert_array_equal(x[1:, :-1], x[:-1, 1:])


def test_make_windows():
    x, y = make_windows(np.arange(6), 4)
    assert x.shape == (2, 4, 1) and y.shape == (2, 1) and x.dtype == y.dtype == np.float32
    assert x[:, :, 0].tolist() == [[0, 1, 2, 3], [1, 2, 3, 4]] and y[:, 0].tolist() == [4, 5]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"window": 0}, ValueError, "window"),
        ({"window": 2.0}, TypeError, "window"),
        ({"window": 308}, ValueError, "window"),
        ({"test_fraction": 0.0}, ValueError, "test_fraction"),
        ({"test_fraction": 1.0}, ValueError, "test_fraction"),
        ({"test_fraction": "0.2"}, TypeError, "test_fraction"),
    ],
)
def test_load_sunspots_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_sunspots(**kwargs)


@pytest.mark.parametrize(
    ("series", "window", "error", "match"),
    [
        ([1, 2, 3], 3, ValueError, "longer than window"),
        ([[1, 2], [3, 4]], 1, ValueError, "dimensions"),
        (["a", "b", "c"], 1, TypeError, "numbers"),
        ([1, 2, 3], 0, ValueError, "window"),
        ([1.0, np.nan, 3.0], 1, ValueError, "finite"),
    ],
)
def test_make_windows_rejects_bad_arguments(series, window, error, match):
    with pytest.raises(error, match=match):
        make_windows(series, window)
