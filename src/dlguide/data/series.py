"""Yearly sunspot numbers 1700-2008 (309 values), windowed for one-step-ahead forecasting."""

from __future__ import annotations

import importlib.util
import os
from typing import NamedTuple

import numpy as np

from dlguide._checks import (
    ArrayLike,
    check_array,
    check_float,
    check_positive_int,
    missing_extra,
)

Pairs = tuple[np.ndarray, np.ndarray]


class SeriesSplit(NamedTuple):
    """What :func:`load_sunspots` returns.

    Attributes:
        years: The calendar year of every value, shape ``(309,)``, ``int64``.
        values: The raw yearly sunspot numbers, shape ``(309,)``, ``float32`` (not scaled).
        train: ``(x_train, y_train)``: windows ``(N, window, 1)`` and next values ``(N, 1)``,
            both ``float32`` and scaled with ``mean``/``std``.
        test: ``(x_test, y_test)``, the same for the last years.
        mean: Mean of the training part of the series, used for scaling.
        std: Standard deviation of the training part of the series.
        split_year: First year whose value is a test target.
    """

    years: np.ndarray
    values: np.ndarray
    train: Pairs
    test: Pairs
    mean: float
    std: float
    split_year: int

    def unscale(self, scaled: np.ndarray) -> np.ndarray:
        """Map scaled values (such as predictions) back to sunspot numbers."""
        return np.asarray(scaled) * self.std + self.mean


def make_windows(series: ArrayLike, window: int) -> Pairs:
    """Cut a 1-D series into overlapping windows and the value that follows each.

    Window ``i`` is ``series[i : i + window]`` and its target is ``series[i + window]``, so a
    series of length ``L`` gives ``L - window`` pairs.

    Args:
        series: A 1-D array-like of finite numbers.
        window: Values per input window, >= 1 and < ``len(series)``.

    Returns:
        ``(x, y)``: ``x`` of shape ``(L - window, window, 1)`` and ``y`` of shape
        ``(L - window, 1)``, both ``float32``.

    Raises:
        TypeError: If ``series`` is not numeric or ``window`` is not an int.
        ValueError: If ``series`` is not 1-D or is not longer than ``window``.

    Example:
        >>> x, y = make_windows([1, 2, 3, 4, 5], 3)
        >>> x[:, :, 0].tolist(), y[:, 0].tolist()
        ([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], [4.0, 5.0])
    """
    series = check_array("series", series, ndim=1).astype(np.float32)
    window = check_positive_int("window", window)
    if len(series) <= window:
        raise ValueError(f"series must be longer than window={window}, got length {len(series)}")
    count = len(series) - window
    index = np.arange(window)[None, :] + np.arange(count)[:, None]  # (N, window)
    x = series[index][:, :, None]  # (N, window) -> (N, window, 1)
    y = series[window:][:, None]  # (N,) -> (N, 1)
    return x, y


def _read_sunspots() -> tuple[np.ndarray, np.ndarray]:
    spec = importlib.util.find_spec("statsmodels")
    if spec is None or not spec.submodule_search_locations:
        # The data file ships inside statsmodels; importing statsmodels itself is not needed.
        raise missing_extra("statsmodels", needed_by="load_sunspots")
    root = next(iter(spec.submodule_search_locations))
    path = os.path.join(root, "datasets", "sunspots", "sunspots.csv")
    table = np.loadtxt(path, delimiter=",", skiprows=1)  # columns "YEAR","SUNACTIVITY"
    return table[:, 0].astype(np.int64), table[:, 1].astype(np.float32)


def load_sunspots(*, window: int = 24, test_fraction: float = 0.2) -> SeriesSplit:
    """Load the yearly sunspot numbers and make scaled, windowed train and test pairs.

    The series is the mean yearly sunspot number from 1700 to 2008 (309 values). It is split
    chronologically: the last ``test_fraction`` of the *targets* (the latest years) are the
    test set, so no test year is ever predicted by a model that saw it during training. Test
    windows may start in the training years, since a forecaster at the split year reads the
    years before it. The scaling ``(value - mean) / std`` uses the mean and standard deviation
    of the training years only (``values[:window + n_train]``), so nothing leaks from the test
    years; :meth:`SeriesSplit.unscale` reverses it. With the defaults there are 228 training
    and 57 test pairs, and the first test target is the year 1952.

    Source: the yearly sunspot data as bundled with statsmodels
    (``statsmodels.api.datasets.sunspots``; read here from its CSV, without pandas), from NOAA's
    National Geophysical Data Center, public domain.

    Args:
        window: Past years in each input window, >= 1.
        test_fraction: Fraction of the pairs held out at the end, in (0, 1).

    Returns:
        A :class:`SeriesSplit` with fields ``years``, ``values`` (the raw series), ``train`` and
        ``test`` (``(x, y)`` with ``x`` of shape ``(N, window, 1)`` and ``y`` of shape
        ``(N, 1)``, ``float32``, scaled), ``mean``, ``std`` and ``split_year``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.
        ImportError: If statsmodels (which ships the data) is not installed.

    Example:
        >>> from dlguide.data import load_sunspots
        >>> data = load_sunspots()
        >>> (x_train, y_train), (x_test, y_test) = data.train, data.test
        >>> x_train.shape, y_train.shape, x_test.shape, data.split_year
        ((228, 24, 1), (228, 1), (57, 24, 1), 1952)
    """
    window = check_positive_int("window", window)
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, exclusive_minimum=True)
    if test_fraction >= 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    years, values = _read_sunspots()
    num_pairs = len(values) - window
    if num_pairs < 2:
        raise ValueError(f"window must be at most {len(values) - 2}, got {window}")
    num_test = min(max(1, round(num_pairs * test_fraction)), num_pairs - 1)
    num_train = num_pairs - num_test

    train_part = values[: window + num_train]  # every value a training pair touches
    mean, std = float(train_part.mean()), float(train_part.std())
    x, y = make_windows((values - mean) / std, window)
    return SeriesSplit(
        years=years,
        values=values,
        train=(x[:num_train], y[:num_train]),
        test=(x[num_train:], y[num_train:]),
        mean=mean,
        std=std,
        split_year=int(years[window + num_train]),
    )
