"""Types shared by the loaders of :mod:`dlguide.data`."""

from __future__ import annotations

import numpy as np

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""Keras-style ``(x_train, y_train), (x_test, y_test)``, as every classification loader returns."""
