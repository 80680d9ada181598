"""Small data sets that work offline, as NumPy arrays.

Nothing here downloads: every loader reads data that ships with dlguide or with a package it
depends on, or generates it. No deep learning framework is imported; the adapters
:func:`dlguide.torch.to_loader` and ``tf.data.Dataset.from_tensor_slices`` take these arrays.

Every classification loader returns Keras-style ``(x_train, y_train), (x_test, y_test)`` with a
fixed, documented split, so every page of the guide tests on the same held-out examples.
"""

from dlguide.data.digits import load_digits

__all__ = ["load_digits"]
