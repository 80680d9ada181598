"""SRCNN, the Keras twin of :mod:`dlguide.torch.srcnn`.

Dong, Loy, He & Tang (2014), "Learning a Deep Convolutional Network for Image
Super-Resolution", ECCV; TPAMI 2016 version https://arxiv.org/abs/1501.00092.

Images are channels-last ``(B, H, W, C)``, already enlarged by bicubic interpolation; height and
width are left open (``None``). The convolutions with ReLU end in the layer ``"features"``; the
linear reconstruction convolution is ``"head"``. Padding is "same", so output and input have the
same size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers

from dlguide._srcnn import check_sizes
from dlguide.keras._config import ConstructorConfig


@keras.saving.register_keras_serializable(package="dlguide")
class SRCNN(ConstructorConfig, keras.Model):
    """Super-resolution CNN: ``(B, H, W, C) -> (B, H, W, C)``, input already upscaled.

    Args:
        channels: Image channels (1 for the luminance/grey images of the paper).
        widths: Feature maps of the hidden convolutions (paper: 64, 32).
        kernel_sizes: Odd kernel size of every convolution, ``len(widths) + 1`` of them.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive, a kernel size is even, or the lengths disagree.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.srcnn import SRCNN
        >>> SRCNN()(np.zeros((2, 32, 32, 1))).shape
        TensorShape([2, 32, 32, 1])
    """

    def __init__(
        self,
        *,
        channels: int = 1,
        widths: Sequence[int] = (64, 32),
        kernel_sizes: Sequence[int] = (9, 5, 5),
        **kwargs: Any,
    ) -> None:
        channels, widths, kernel_sizes = check_sizes(channels, widths, kernel_sizes)

        inputs = keras.Input(shape=(None, None, channels))
        x = inputs
        for i, (width, k) in enumerate(zip(widths, kernel_sizes[:-1], strict=True)):
            x = layers.Conv2D(width, k, padding="same", activation="relu", name=f"conv_{i}")(x)
        x = layers.Identity(name="features")(x)  # (B, H, W, widths[-1])
        outputs = layers.Conv2D(channels, kernel_sizes[-1], padding="same", name="head")(
            x
        )  # -> (B, H, W, C)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
