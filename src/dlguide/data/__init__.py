"""Small data sets that work offline, as NumPy arrays.

Nothing here downloads: every loader reads data that ships with dlguide or with a package it
depends on, or generates it. No deep learning framework is imported; the adapters
:func:`dlguide.torch.to_loader` and ``tf.data.Dataset.from_tensor_slices`` take these arrays.

Every classification loader returns Keras-style ``(x_train, y_train), (x_test, y_test)`` with a
fixed, documented split, so every page of the guide tests on the same held-out examples.
"""

from dlguide.data.digits import load_digits
from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist
from dlguide.data.mnist import load_mnist_5k
from dlguide.data.noise import add_noise
from dlguide.data.pairs import make_pairs, make_triplets
from dlguide.data.series import SeriesSplit, load_sunspots, make_windows
from dlguide.data.shapes import load_shapes, make_shapes
from dlguide.data.superres import load_sr_patches
from dlguide.data.text import CharVocabulary, load_text, make_char_dataset, split_text
from dlguide.data.toy import make_ring_data

__all__ = [
    "CharVocabulary",
    "FASHION_MNIST_CLASSES",
    "SeriesSplit",
    "add_noise",
    "load_digits",
    "load_fashion_mnist",
    "load_mnist_5k",
    "load_shapes",
    "load_sr_patches",
    "load_sunspots",
    "load_text",
    "make_char_dataset",
    "make_pairs",
    "make_ring_data",
    "make_shapes",
    "make_triplets",
    "make_windows",
    "split_text",
]
