"""U-Net: an encoder-decoder with skip connections for per-pixel classification.

Ronneberger, Fischer & Brox (2015), "U-Net: Convolutional Networks for Biomedical Image
Segmentation", MICCAI, https://arxiv.org/abs/1505.04597.

The encoder halves the resolution with max pooling after each double convolution; the decoder
doubles it with transposed convolutions and concatenates the encoder map of the same size (the
skip connection) before its own double convolution, so fine detail lost by pooling comes back.
Unlike the paper, the 3x3 convolutions use ``padding=1`` so the output has the input's size and
no cropping is needed; there is no batch normalisation (the paper has none either).

A segmentation model is not a classifier, so :class:`UNet` has no ``features``/``head`` split
of the usual kind: ``head`` is the final 1x1 convolution mapping each pixel's features to class
logits, and ``encoder``/``decoder`` hold the two halves.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch
from torch import nn

from dlguide._unet import check_sizes


def double_conv(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two ``3x3 conv (padding 1) -> ReLU`` layers: ``(B, in, H, W) -> (B, out, H, W)``.

    Example:
        >>> import torch
        >>> from dlguide.torch.unet import double_conv
        >>> double_conv(1, 8)(torch.zeros(2, 1, 16, 16)).shape
        torch.Size([2, 8, 16, 16])
    """
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1),
        nn.ReLU(),
    )


class UpBlock(nn.Module):
    """Upsample by 2 with a transposed convolution, concatenate the skip, double conv.

    Args:
        in_channels: Channels of the coarse map coming up from below.
        out_channels: Channels after the block (also the channels of the skip map).
    """

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=2, stride=2)
        self.conv = double_conv(2 * out_channels, out_channels)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        x = self.up(x)  # (B, in, H/2, W/2) -> (B, out, H, W)
        x = torch.cat([skip, x], dim=1)  # -> (B, 2*out, H, W)
        return self.conv(x)  # -> (B, out, H, W)


class UNet(nn.Module):
    """A small U-Net returning per-pixel class logits of shape ``(B, num_classes, H, W)``.

    Inputs are channels-first ``(B, in_channels, H, W)`` with ``H`` and ``W`` divisible by
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
        >>> import torch
        >>> from dlguide.torch.unet import UNet
        >>> UNet()(torch.zeros(2, 1, 64, 64)).shape
        torch.Size([2, 2, 64, 64])
    """

    def __init__(
        self,
        *,
        in_channels: int = 1,
        num_classes: int = 2,
        widths: Sequence[int] = (16, 32, 64),
    ) -> None:
        super().__init__()
        self.in_channels, num_classes, widths = check_sizes(in_channels, num_classes, widths)
        self.factor = 2 ** (len(widths) - 1)

        channels = (self.in_channels, *widths)
        self.encoder = nn.ModuleList(double_conv(a, b) for a, b in itertools.pairwise(channels))
        self.pool = nn.MaxPool2d(2)
        self.decoder = nn.ModuleList(
            UpBlock(a, b) for a, b in zip(widths[::-1][:-1], widths[::-1][1:], strict=True)
        )
        self.head = nn.Conv2d(widths[0], num_classes, kernel_size=1)  # per-pixel logits

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"UNet expects (B, {self.in_channels}, H, W), got shape {tuple(x.shape)}"
            )
        if x.shape[2] % self.factor or x.shape[3] % self.factor:
            raise ValueError(
                f"UNet needs H and W divisible by {self.factor}, got shape {tuple(x.shape)}"
            )
        skips = []
        for i, block in enumerate(self.encoder):
            if i > 0:
                x = self.pool(x)  # (B, C, H, W) -> (B, C, H/2, W/2)
            x = block(x)
            skips.append(x)
        skips.pop()  # the bottleneck output is x itself
        for block in self.decoder:
            x = block(x, skips.pop())  # (B, C, H, W) -> (B, C/2, 2H, 2W)
        return self.head(x)  # (B, widths[0], H, W) -> (B, num_classes, H, W)
