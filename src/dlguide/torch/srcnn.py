"""SRCNN: three convolutions that sharpen a bicubic-upscaled image.

Dong, Loy, He & Tang (2014), "Learning a Deep Convolutional Network for Image
Super-Resolution", ECCV; journal version "Image Super-Resolution Using Deep Convolutional
Networks", TPAMI 2016, https://arxiv.org/abs/1501.00092.

The low-resolution image is first enlarged to the target size by bicubic interpolation; the
network then maps it to a sharper image in three steps the paper names patch extraction
(9x9 conv, 64 maps), non-linear mapping (here 5x5, 32 maps; the paper's best setting 9-5-5)
and reconstruction (5x5 conv back to the image channels). Padding is "same", so the output has
the input's size (the paper used valid convolutions and a smaller target).

SRCNN is an image-to-image regressor, not a classifier: ``features`` holds the convolutions with
their ReLUs and ``head`` the last, linear reconstruction layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from dlguide._srcnn import check_sizes


class SRCNN(nn.Module):
    """Super-resolution CNN: ``(B, C, H, W) -> (B, C, H, W)``, input already upscaled.

    Args:
        channels: Image channels (1 for the luminance/grey images of the paper).
        widths: Feature maps of the hidden convolutions (paper: 64, 32).
        kernel_sizes: Odd kernel size of every convolution, ``len(widths) + 1`` of them
            (paper: 9, 5, 5 in its best setting; 9, 1, 5 in the fast one).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive, a kernel size is even, or the lengths disagree.

    Example:
        >>> import torch
        >>> from dlguide.torch.srcnn import SRCNN
        >>> SRCNN()(torch.zeros(2, 1, 32, 32)).shape
        torch.Size([2, 1, 32, 32])
    """

    def __init__(
        self,
        *,
        channels: int = 1,
        widths: Sequence[int] = (64, 32),
        kernel_sizes: Sequence[int] = (9, 5, 5),
    ) -> None:
        super().__init__()
        self.channels, widths, kernel_sizes = check_sizes(channels, widths, kernel_sizes)

        layers: list[nn.Module] = []
        in_channels = self.channels
        for width, k in zip(widths, kernel_sizes[:-1], strict=True):
            layers += [nn.Conv2d(in_channels, width, kernel_size=k, padding="same"), nn.ReLU()]
            in_channels = width
        self.features = nn.Sequential(*layers)  # (B, C, H, W) -> (B, widths[-1], H, W)
        self.head = nn.Conv2d(
            in_channels, self.channels, kernel_size=kernel_sizes[-1], padding="same"
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1] != self.channels:
            raise ValueError(
                f"SRCNN expects (B, {self.channels}, H, W), got shape {tuple(x.shape)}"
            )
        return self.head(self.features(x))  # (B, widths[-1], H, W) -> (B, C, H, W)
