"""A small residual network for 28x28 images, and its plain twin without shortcuts.

He, Zhang, Ren & Sun (2016), "Deep Residual Learning for Image Recognition", CVPR,
https://arxiv.org/abs/1512.03385. Batch normalization: Ioffe & Szegedy (2015),
https://arxiv.org/abs/1502.03167.

A :class:`ResidualBlock` computes ``relu(F(x) + shortcut(x))`` with the paper's basic block
``F = conv3x3 -> BN -> ReLU -> conv3x3 -> BN``; the shortcut is the identity, or a 1x1
convolution with BN (a "projection", option B of the paper) when the block changes the number
of channels or halves the image. With ``skip=False`` the block drops the shortcut entirely and
returns ``relu(F(x))``: the "plain" network of the paper's degradation experiment, which has the
same layers except the projections.

Images are channels-first, ``(B, C, H, W)``. BatchNorm uses ``eps=1e-5`` and ``momentum=0.1``
(PyTorch's convention: the running statistics move 10% towards each batch's); the Keras twin
uses the same settings (``epsilon=1e-5``, ``momentum=0.9`` in Keras' convention). The running
mean and variance are buffers, not parameters.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from dlguide._resnet import check_block, check_resnet
from dlguide._resnet import check_stride as check_stride  # importable here as before

BN_EPSILON = 1e-5
BN_MOMENTUM = 0.1  # weight of the new batch in PyTorch's running statistics


# --- helpers -----------------------------------------------------------------------------------


def conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    """A 3x3 convolution with padding 1 and no bias (BN follows): halves H and W if stride=2."""
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


def batch_norm(channels: int) -> nn.BatchNorm2d:
    """BatchNorm2d with the settings shared by both twins."""
    return nn.BatchNorm2d(channels, eps=BN_EPSILON, momentum=BN_MOMENTUM)


# --- blocks ------------------------------------------------------------------------------------


class ResidualBlock(nn.Module):
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
        >>> import torch
        >>> from dlguide.torch import ResidualBlock
        >>> block = ResidualBlock(in_channels=16, out_channels=32, stride=2)
        >>> block(torch.zeros(2, 16, 28, 28)).shape
        torch.Size([2, 32, 14, 14])
    """

    def __init__(
        self, *, in_channels: int, out_channels: int, stride: int = 1, skip: bool = True
    ) -> None:
        super().__init__()
        in_channels, out_channels, stride, skip = check_block(
            in_channels, out_channels, stride, skip
        )
        self.skip = skip
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = batch_norm(out_channels)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = batch_norm(out_channels)
        self.shortcut: nn.Module | None = None
        if skip:
            if stride != 1 or in_channels != out_channels:  # projection: match the new shape
                self.shortcut = nn.Sequential(
                    nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                    batch_norm(out_channels),
                )
            else:
                self.shortcut = nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))  # (B, C_in, H, W) -> (B, C_out, H/s, W/s)
        out = self.bn2(self.conv2(out))
        if self.shortcut is not None:
            out = out + self.shortcut(x)  # the residual connection
        return F.relu(out)


# --- model -------------------------------------------------------------------------------------


class ResNet(nn.Module):
    """A small ResNet: stem, stages of residual blocks, global average pooling, linear head.

    The stem is ``conv3x3 -> BN -> ReLU`` to ``widths[0]`` channels. Stage ``s`` has
    ``blocks_per_stage`` blocks of ``widths[s]`` channels; every stage after the first starts
    with a stride-2 block, so a 28x28 image becomes 28 -> 14 -> 7 with the default widths. The
    network has ``2 + 2 * len(widths) * blocks_per_stage`` weight layers (14 by default).

    ``skip=False`` builds the plain network of the same depth and widths. It has exactly the
    parameters of the residual one minus the projection shortcuts, which sit in the first
    block of every stage ``s >= 1`` (it halves the image): a 1x1 convolution
    (``widths[s-1] * widths[s]`` weights) and a BatchNorm (``2 * widths[s]``) each -- 2,752
    parameters with the defaults (576 + 2,176).

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
        >>> import torch
        >>> from dlguide.torch import ResNet
        >>> model = ResNet()
        >>> model(torch.zeros(2, 1, 28, 28)).shape
        torch.Size([2, 10])
    """

    def __init__(
        self,
        *,
        num_classes: int = 10,
        in_channels: int = 1,
        widths: Sequence[int] = (16, 32, 64),
        blocks_per_stage: int = 2,
        skip: bool = True,
    ) -> None:
        super().__init__()
        num_classes, self.in_channels, widths, blocks_per_stage, skip = check_resnet(
            num_classes, in_channels, widths, blocks_per_stage, skip
        )

        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["stem"] = nn.Sequential(  # (B, C, H, W) -> (B, widths[0], H, W)
            conv3x3(self.in_channels, widths[0]), batch_norm(widths[0]), nn.ReLU()
        )
        channels = widths[0]
        for s, width in enumerate(widths):
            for b in range(blocks_per_stage):
                stride = 2 if s > 0 and b == 0 else 1  # later stages start by halving H and W
                layers[f"stage{s}_block{b}"] = ResidualBlock(
                    in_channels=channels, out_channels=width, stride=stride, skip=skip
                )
                channels = width
        layers["pool"] = nn.AdaptiveAvgPool2d(1)  # (B, C, h, w) -> (B, C, 1, 1)
        layers["flatten"] = nn.Flatten()  # (B, C, 1, 1) -> (B, C)
        self.features = nn.Sequential(layers)  # (B, C_in, H, W) -> (B, widths[-1])
        self.head = nn.Linear(channels, num_classes)  # (B, widths[-1]) -> (B, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"ResNet expects input of shape (B, {self.in_channels}, H, W) (channels first), "
                f"got {tuple(x.shape)}"
            )
        return self.head(self.features(x))
