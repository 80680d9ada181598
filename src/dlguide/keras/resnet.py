"""A small residual network and its plain twin, the Keras twin of :mod:`dlguide.torch.resnet`.

He, Zhang, Ren & Sun (2016), "Deep Residual Learning for Image Recognition", CVPR,
https://arxiv.org/abs/1512.03385. Batch normalization: Ioffe & Szegedy (2015),
https://arxiv.org/abs/1502.03167.

A :class:`ResidualBlock` (a Keras layer) computes ``relu(F(x) + shortcut(x))`` with the basic
block ``F = conv3x3 -> BN -> ReLU -> conv3x3 -> BN`` and a 1x1 projection shortcut when the
shape changes; ``skip=False`` drops the shortcut (the plain network). :class:`ResNet` is a
functional model with the same stages as the PyTorch twin; the layer named ``"features"`` ends
the representation and the layer named ``"head"`` is the classifier.

Images are channels-last, ``(B, H, W, C)``, of any size. Convolutions pad explicitly with one
zero on every side (``ZeroPadding2D(1)`` then a ``"valid"`` convolution), exactly like PyTorch's
``padding=1``; Keras' ``"same"`` pads a stride-2 convolution of an even-sized image on the bottom
and right only. BatchNorm uses the PyTorch twin's settings: ``epsilon=1e-5`` (Keras' default is
1e-3) and ``momentum=0.9`` (Keras' default is 0.99; Keras' momentum is the weight of the old
running value, PyTorch's ``momentum=0.1`` the weight of the new batch). The running mean and
variance are non-trainable weights; one small difference remains: PyTorch updates the running
variance with the unbiased batch variance, Keras with the biased one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers

from dlguide._resnet import check_block, check_resnet
from dlguide._resnet import check_stride as check_stride  # importable here as before
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Shape, Tensor

BN_EPSILON = 1e-5
BN_MOMENTUM = 0.9  # weight of the old running value in Keras (PyTorch's 0.1 for the new batch)


# --- helpers -----------------------------------------------------------------------------------


def conv3x3(out_channels: int, stride: int = 1, *, name: str) -> keras.Sequential:
    """A 3x3 convolution with one zero of padding on each side and no bias (BN follows)."""
    return keras.Sequential(
        [
            layers.ZeroPadding2D(1),
            layers.Conv2D(out_channels, 3, strides=stride, padding="valid", use_bias=False),
        ],
        name=name,
    )


def batch_norm(*, name: str) -> layers.BatchNormalization:
    """BatchNormalization with the settings shared by both twins."""
    return layers.BatchNormalization(epsilon=BN_EPSILON, momentum=BN_MOMENTUM, name=name)


# --- blocks ------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlguide")
class ResidualBlock(ConstructorConfig, layers.Layer):
    """The basic residual block: ``relu(BN(conv(relu(BN(conv(x))))) + shortcut(x))``.

    Args:
        in_channels: Channels of the input.
        out_channels: Channels of the output.
        stride: 2 halves the height and width (in the first convolution), 1 keeps them.
        skip: Add the shortcut. ``False`` gives the plain block ``relu(F(x))``, without any
            projection parameters.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a channel count is not positive or ``stride`` is not 1 or 2.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import ResidualBlock
        >>> block = ResidualBlock(in_channels=16, out_channels=32, stride=2)
        >>> block(np.zeros((2, 28, 28, 16))).shape
        TensorShape([2, 14, 14, 32])
    """

    def __init__(
        self,
        *,
        in_channels: int,
        out_channels: int,
        stride: int = 1,
        skip: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        in_channels, out_channels, stride, skip = check_block(
            in_channels, out_channels, stride, skip
        )
        self.in_channels, self.skip = in_channels, skip
        self.conv1 = conv3x3(out_channels, stride, name="conv1")
        self.bn1 = batch_norm(name="bn1")
        self.conv2 = conv3x3(out_channels, name="conv2")
        self.bn2 = batch_norm(name="bn2")
        self.projection = None
        if skip and (stride != 1 or in_channels != out_channels):  # match the new shape
            self.projection = keras.Sequential(
                [
                    layers.Conv2D(out_channels, 1, strides=stride, use_bias=False),
                    batch_norm(name="bn"),
                ],
                name="projection",
            )

    def build(self, input_shape: Shape) -> None:
        if input_shape[-1] != self.in_channels:
            raise ValueError(
                f"ResidualBlock expects {self.in_channels} input channels "
                f"(channels last), got input of shape {tuple(input_shape)}"
            )
        self.conv1.build(input_shape)
        shape = self.conv1.compute_output_shape(input_shape)
        self.bn1.build(shape)
        self.conv2.build(shape)
        self.bn2.build(shape)
        if self.projection is not None:
            self.projection.build(input_shape)

    def call(self, x: Tensor, training: bool | None = None) -> Tensor:
        out = keras.ops.relu(self.bn1(self.conv1(x), training=training))  # (B, H/s, W/s, C_out)
        out = self.bn2(self.conv2(out), training=training)
        if self.skip:
            shortcut = x if self.projection is None else self.projection(x, training=training)
            out = out + shortcut  # the residual connection
        return keras.ops.relu(out)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self.conv1.compute_output_shape(input_shape)


# --- model -------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlguide")
class ResNet(ConstructorConfig, keras.Model):
    """A small ResNet: stem, stages of residual blocks, global average pooling, dense head.

    The stem is ``conv3x3 -> BN -> ReLU`` to ``widths[0]`` channels. Stage ``s`` has
    ``blocks_per_stage`` blocks of ``widths[s]`` channels; every stage after the first starts
    with a stride-2 block, so a 28x28 image becomes 28 -> 14 -> 7 with the default widths. The
    network has ``2 + 2 * len(widths) * blocks_per_stage`` weight layers (14 by default).

    ``skip=False`` builds the plain network of the same depth and widths. It has exactly the
    trainable parameters of the residual one minus the projection shortcuts, which sit in the
    first block of every stage ``s >= 1`` (it halves the image): a 1x1 convolution
    (``widths[s-1] * widths[s]`` weights) and a BatchNorm (``2 * widths[s]`` trainable) each --
    2,752 parameters with the defaults (576 + 2,176).

    Args:
        num_classes: Classes, the number of logits.
        in_channels: Channels of the input images (1 for grey).
        widths: Channels of each stage.
        blocks_per_stage: Residual blocks in every stage.
        skip: Use shortcut connections (a ResNet); ``False`` gives the plain twin.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive or ``widths`` is empty.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import ResNet
        >>> model = ResNet()
        >>> model(np.zeros((2, 28, 28, 1))).shape
        TensorShape([2, 10])
    """

    def __init__(
        self,
        *,
        num_classes: int = 10,
        in_channels: int = 1,
        widths: Sequence[int] = (16, 32, 64),
        blocks_per_stage: int = 2,
        skip: bool = True,
        **kwargs: Any,
    ) -> None:
        num_classes, in_channels, widths, blocks_per_stage, skip = check_resnet(
            num_classes, in_channels, widths, blocks_per_stage, skip
        )

        inputs = keras.Input(shape=(None, None, in_channels))  # any image size
        x = conv3x3(widths[0], name="stem_conv")(inputs)  # (B, H, W, C) -> (B, H, W, widths[0])
        x = batch_norm(name="stem_bn")(x)
        x = layers.ReLU(name="stem_relu")(x)
        channels = widths[0]
        for s, width in enumerate(widths):
            for b in range(blocks_per_stage):
                stride = 2 if s > 0 and b == 0 else 1  # later stages start by halving H and W
                x = ResidualBlock(
                    in_channels=channels,
                    out_channels=width,
                    stride=stride,
                    skip=skip,
                    name=f"stage{s}_block{b}",
                )(x)
                channels = width
        x = layers.GlobalAveragePooling2D(name="pool")(x)  # (B, h, w, C) -> (B, C)
        x = layers.Identity(name="features")(x)  # (B, widths[-1]): the learned representation
        outputs = layers.Dense(num_classes, name="head")(x)  # (B, widths[-1]) -> (B, num_classes)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
