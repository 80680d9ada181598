"""U-Net, the Keras twin of :mod:`dlguide.torch.unet`.

Ronneberger, Fischer & Brox (2015), "U-Net: Convolutional Networks for Biomedical Image
Segmentation", MICCAI, https://arxiv.org/abs/1505.04597.

Images are channels-last ``(B, H, W, C)`` and the logits are ``(B, H, W, num_classes)``. As in
the twin, the 3x3 convolutions use ``padding="same"`` so output and input have the same size.
The input's height and width are left open (``None``); they must be divisible by
``2 ** (len(widths) - 1)``, or the skip concatenation fails with a shape error. The last layer,
the per-pixel 1x1 convolution, is named ``"head"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers

from dlguide._unet import check_sizes
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor


def double_conv(x: Tensor, out_channels: int, *, name: str) -> Tensor:
    """Two ``3x3 conv (padding same) -> ReLU`` layers: ``(B, H, W, in) -> (B, H, W, out)``.

    Example:
        >>> import keras
        >>> from dlguide.keras.unet import double_conv
        >>> double_conv(keras.Input((16, 16, 1)), 8, name="block").shape
        (None, 16, 16, 8)
    """
    x = layers.Conv2D(out_channels, 3, padding="same", activation="relu", name=f"{name}_conv1")(x)
    return layers.Conv2D(out_channels, 3, padding="same", activation="relu", name=f"{name}_conv2")(
        x
    )


def up_block(x: Tensor, skip: Tensor, out_channels: int, *, name: str) -> Tensor:
    """Upsample by 2 with a transposed convolution, concatenate the skip, double conv."""
    x = layers.Conv2DTranspose(out_channels, 2, strides=2, name=f"{name}_up")(
        x
    )  # (B,H,W,in)->(B,2H,2W,out)
    x = layers.Concatenate(name=f"{name}_concat")([skip, x])  # -> (B, 2H, 2W, 2*out)
    return double_conv(x, out_channels, name=name)  # -> (B, 2H, 2W, out)


@keras.saving.register_keras_serializable(package="dlguide")
class UNet(ConstructorConfig, keras.Model):
    """A small U-Net returning per-pixel class logits of shape ``(B, H, W, num_classes)``.

    Inputs are channels-last ``(B, H, W, in_channels)`` with ``H`` and ``W`` divisible by
    ``2 ** (len(widths) - 1)`` (64x64 images with the defaults).

    Args:
        in_channels: Channels of the input image (1 for grey).
        num_classes: Classes per pixel (2 for background/foreground).
        widths: Channels at each resolution, from the finest to the bottleneck; each level
            after the first halves the resolution. At least two levels.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive or ``widths`` has fewer than two levels.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.unet import UNet
        >>> UNet()(np.zeros((2, 64, 64, 1))).shape
        TensorShape([2, 64, 64, 2])
    """

    def __init__(
        self,
        *,
        in_channels: int = 1,
        num_classes: int = 2,
        widths: Sequence[int] = (16, 32, 64),
        **kwargs: Any,
    ) -> None:
        in_channels, num_classes, widths = check_sizes(in_channels, num_classes, widths)

        inputs = keras.Input(shape=(None, None, in_channels))
        x, skips = inputs, []
        for i, width in enumerate(widths):
            if i > 0:
                x = layers.MaxPooling2D(2, name=f"pool_{i}")(x)  # (B, H, W, C) -> (B, H/2, W/2, C)
            x = double_conv(x, width, name=f"encoder_{i}")
            skips.append(x)
        skips.pop()  # the bottleneck output is x itself
        for i, width in enumerate(widths[::-1][1:]):
            x = up_block(x, skips.pop(), width, name=f"decoder_{i}")  # (B,H,W,C)->(B,2H,2W,C/2)
        outputs = layers.Conv2D(num_classes, 1, name="head")(x)  # -> (B, H, W, num_classes)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
