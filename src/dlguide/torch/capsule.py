"""A capsule network with dynamic routing, sized to train on a CPU.

Sabour, Frosst & Hinton (2017), "Dynamic Routing Between Capsules", NeurIPS,
https://arxiv.org/abs/1710.09829.

A capsule is a vector whose length is the probability that an entity is present and whose
direction describes it. :func:`squash` keeps lengths below 1. Each primary capsule predicts
every digit capsule through its own matrix ``W_ij`` (``u_hat = W_ij u_i``); routing by agreement
(:func:`dynamic_routing`) then sends each prediction mostly to the digit capsules it agrees
with. The class score is a digit capsule's length, trained with :func:`margin_loss`.

The paper's network is big (256 9x9 filters, 32x6x6 primary capsules of 8D, 1,152 x 10
routing matrices). The defaults here keep its shape but shrink it: a 32-channel 9x9 convolution
(28 -> 20), 8 primary capsule types of 8D from a 9x9 stride-2 convolution (20 -> 6, so 6x6x8 =
288 capsules), and 10 digit capsules of 16D: about 0.5 M parameters, well under a second per
batch of 64 on two CPU cores.

The reconstruction decoder of the paper (a 3-layer MLP that redraws the image from the digit
capsule of the true class, a regulariser) is off by default. With ``reconstruction=True`` the
model gains ``decoder`` and :meth:`CapsuleNet.reconstruct`; ``forward`` still returns the class
scores only.

Surface: ``features`` maps images to the primary capsules, flattened to ``(B, N, 8)``, and
``head`` is the :class:`DigitCapsules` layer plus the length, mapping them to class scores, so
``forward = head(features(x))`` as for every classifier here. The scores are lengths in [0, 1),
not logits: use :func:`margin_loss`, not cross-entropy.
"""

from __future__ import annotations

from typing import cast

import torch
from torch import nn
from torch.nn import functional as F

from dlguide._capsule import check_capsule_net, check_margins, primary_grid
from dlguide._checks import check_positive_int


def squash(s: torch.Tensor, *, dim: int = -1, eps: float = 1e-8) -> torch.Tensor:
    """Shrink vectors to a length in [0, 1), keeping their direction (Sabour et al., eq. 1).

    ``v = |s|**2 / (1 + |s|**2) * s / |s|``: short vectors shrink to almost 0, long ones to
    just under 1.

    Example:
        >>> import torch
        >>> from dlguide.torch.capsule import squash
        >>> squash(torch.tensor([[3.0, 4.0]])).norm(dim=-1)  # 25 / 26
        tensor([0.9615])
    """
    squared = (s**2).sum(dim=dim, keepdim=True)
    return squared / (1 + squared) * s / torch.sqrt(squared + eps)


def dynamic_routing(u_hat: torch.Tensor, iterations: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """Routing by agreement (Sabour et al., Procedure 1).

    Args:
        u_hat: Predictions of every input capsule for every output capsule,
            ``(B, N_in, N_out, D_out)``.
        iterations: Routing iterations, >= 1.

    Returns:
        ``(v, c)``: the output capsules ``(B, N_out, D_out)`` and the coupling coefficients
        ``(B, N_in, N_out)`` of the last iteration, which sum to 1 over the output capsules.

    Example:
        >>> import torch
        >>> from dlguide.torch.capsule import dynamic_routing
        >>> v, c = dynamic_routing(torch.randn(2, 5, 3, 4))
        >>> v.shape, c.shape
        (torch.Size([2, 3, 4]), torch.Size([2, 5, 3]))
        >>> torch.allclose(c.sum(dim=-1), torch.ones(2, 5))
        True
    """
    iterations = check_positive_int("iterations", iterations)
    b = torch.zeros(u_hat.shape[:3], dtype=u_hat.dtype, device=u_hat.device)  # (B, N_in, N_out)
    for r in range(iterations):
        c = F.softmax(b, dim=2)  # each input capsule splits its vote over the outputs
        s = (c.unsqueeze(-1) * u_hat).sum(dim=1)  # (B, N_in, N_out, D) -> (B, N_out, D)
        v = squash(s)
        if r < iterations - 1:
            b = b + (u_hat * v.unsqueeze(1)).sum(dim=-1)  # agreement <u_hat, v>: (B, N_in, N_out)
    return v, c


def margin_loss(
    lengths: torch.Tensor,
    labels: torch.Tensor,
    *,
    m_plus: float = 0.9,
    m_minus: float = 0.1,
    down_weight: float = 0.5,
) -> torch.Tensor:
    """Margin loss of Sabour et al. (eq. 4), summed over classes and averaged over the batch.

    ``L_k = T_k max(0, m+ - |v_k|)**2 + down_weight (1 - T_k) max(0, |v_k| - m-)**2``.

    Args:
        lengths: Capsule lengths (class scores) ``(B, num_classes)``.
        labels: Integer class labels ``(B,)``.
        m_plus: The true class's length should exceed this.
        m_minus: The other classes' lengths should stay below this.
        down_weight: Weight of the absent-class term (the paper's lambda).

    Returns:
        A scalar tensor.

    Example:
        >>> import torch
        >>> from dlguide.torch.capsule import margin_loss
        >>> margin_loss(torch.tensor([[0.95, 0.05]]), torch.tensor([0]))
        tensor(0.)
    """
    m_plus, m_minus, down_weight = check_margins(m_plus, m_minus, down_weight)
    targets = F.one_hot(labels.long(), lengths.shape[-1]).to(lengths.dtype)  # (B,) -> (B, K)
    present = targets * torch.clamp(m_plus - lengths, min=0) ** 2
    absent = down_weight * (1 - targets) * torch.clamp(lengths - m_minus, min=0) ** 2
    return (present + absent).sum(dim=-1).mean()


class PrimaryCapsules(nn.Module):
    """A convolution whose output channels are grouped into capsules, then squashed.

    ``(B, C, H, W) -> (B, num_types * H' * W', capsule_dim)``.

    Args:
        in_channels: Channels of the input map.
        num_types: Capsule types (the paper's 32).
        capsule_dim: Length of each capsule vector (the paper's 8).
        kernel_size: Convolution kernel size.
        stride: Convolution stride.

    Example:
        >>> import torch
        >>> from dlguide.torch.capsule import PrimaryCapsules
        >>> layer = PrimaryCapsules(in_channels=1, num_types=4, capsule_dim=8)
        >>> capsules = layer(torch.randn(2, 1, 20, 20))  # 9x9 kernel, stride 2: 6x6 positions
        >>> capsules.shape  # 4 types x 6 x 6 positions = 144 capsules of length 8
        torch.Size([2, 144, 8])
        >>> bool((capsules.norm(dim=-1) < 1).all())  # squashed: every length below 1
        True
    """

    def __init__(
        self,
        *,
        in_channels: int,
        num_types: int,
        capsule_dim: int,
        kernel_size: int = 9,
        stride: int = 2,
    ) -> None:
        super().__init__()
        self.num_types = check_positive_int("num_types", num_types)
        self.capsule_dim = check_positive_int("capsule_dim", capsule_dim)
        self.conv = nn.Conv2d(
            check_positive_int("in_channels", in_channels),
            num_types * capsule_dim,
            kernel_size=check_positive_int("kernel_size", kernel_size),
            stride=check_positive_int("stride", stride),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)  # (B, C, H, W) -> (B, T*D, H', W')
        b, _, h, w = x.shape
        x = x.view(b, self.num_types, self.capsule_dim, h, w)  # -> (B, T, D, H', W')
        x = x.permute(0, 1, 3, 4, 2).reshape(b, -1, self.capsule_dim)  # -> (B, T*H'*W', D)
        return squash(x)


class DigitCapsules(nn.Module):
    """One output capsule per class, computed from all input capsules by dynamic routing.

    ``(B, num_in_capsules, in_dim) -> (B, num_out_capsules, out_dim)``.

    Args:
        num_in_capsules: Number of input (primary) capsules.
        in_dim: Length of an input capsule.
        num_out_capsules: Number of output capsules (classes).
        out_dim: Length of an output capsule (the paper's 16).
        routing_iterations: Iterations of :func:`dynamic_routing` (the paper's 3).

    Example:
        >>> import torch
        >>> from dlguide.torch.capsule import DigitCapsules
        >>> layer = DigitCapsules(num_in_capsules=6, in_dim=8, num_out_capsules=10, out_dim=16)
        >>> layer(torch.randn(2, 6, 8)).shape
        torch.Size([2, 10, 16])
    """

    def __init__(
        self,
        *,
        num_in_capsules: int,
        in_dim: int,
        num_out_capsules: int,
        out_dim: int,
        routing_iterations: int = 3,
    ) -> None:
        super().__init__()
        self.num_in_capsules = check_positive_int("num_in_capsules", num_in_capsules)
        self.in_dim = check_positive_int("in_dim", in_dim)
        num_out_capsules = check_positive_int("num_out_capsules", num_out_capsules)
        out_dim = check_positive_int("out_dim", out_dim)
        self.routing_iterations = check_positive_int("routing_iterations", routing_iterations)
        # One (out_dim x in_dim) matrix per (input capsule, output capsule) pair.
        self.weight = nn.Parameter(
            0.01 * torch.randn(num_in_capsules, num_out_capsules, out_dim, in_dim)
        )

    def routing(self, u: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``(v, c)``: output capsules and coupling coefficients, as in routing."""
        if u.ndim != 3 or tuple(u.shape[1:]) != (self.num_in_capsules, self.in_dim):
            raise ValueError(
                f"DigitCapsules expects (B, {self.num_in_capsules}, {self.in_dim}), "
                f"got shape {tuple(u.shape)}"
            )
        u_hat = torch.einsum(
            "ijdk,bik->bijd", self.weight, u
        )  # (B, N_in, D_in) -> (B, N_in, N_out, D_out)
        return dynamic_routing(u_hat, self.routing_iterations)

    def forward(self, u: torch.Tensor) -> torch.Tensor:
        return self.routing(u)[0]


class CapsuleLength(nn.Module):
    """Capsule lengths as class scores: ``(B, K, D) -> (B, K)``."""

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        return torch.sqrt((v**2).sum(dim=-1) + 1e-9)


class CapsuleNet(nn.Module):
    """A small CapsNet: conv -> primary capsules -> digit capsules (routing) -> lengths.

    Inputs are channels-first ``(B, in_channels, image_size, image_size)``; the output is the
    length of each class capsule, ``(B, num_classes)``, in [0, 1).

    Args:
        num_classes: Classes, one digit capsule each.
        image_size: Height and width of the (square) input images.
        in_channels: Channels of the input images.
        conv_channels: Channels of the first 9x9 convolution (paper: 256).
        primary_types: Primary capsule types (paper: 32).
        primary_dim: Length of a primary capsule (paper: 8).
        digit_dim: Length of a digit capsule (paper: 16).
        routing_iterations: Routing iterations (paper: 3).
        reconstruction: Add the decoder ``(num_classes * digit_dim) -> 256 -> 512 -> image``
            used by :meth:`reconstruct` (paper: 512 -> 1024).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive, or the image is too small for the two 9x9
            convolutions (``image_size < 17``).

    Example:
        >>> import torch
        >>> from dlguide.torch.capsule import CapsuleNet
        >>> CapsuleNet()(torch.zeros(2, 1, 28, 28)).shape
        torch.Size([2, 10])
    """

    def __init__(
        self,
        *,
        num_classes: int = 10,
        image_size: int = 28,
        in_channels: int = 1,
        conv_channels: int = 32,
        primary_types: int = 8,
        primary_dim: int = 8,
        digit_dim: int = 16,
        routing_iterations: int = 3,
        reconstruction: bool = False,
    ) -> None:
        super().__init__()
        self.num_classes, self.image_size, self.in_channels, conv_channels = check_capsule_net(
            num_classes, image_size, in_channels, conv_channels, reconstruction
        )
        grid = primary_grid(self.image_size)  # 9x9 conv, then 9x9 stride-2 conv

        self.features = nn.Sequential(
            nn.Conv2d(
                self.in_channels, conv_channels, kernel_size=9
            ),  # (B, C, S, S) -> (B, 32, S-8, S-8)
            nn.ReLU(),
            PrimaryCapsules(  # -> (B, T * grid * grid, primary_dim)
                in_channels=conv_channels, num_types=primary_types, capsule_dim=primary_dim
            ),
        )
        digit_capsules = DigitCapsules(
            num_in_capsules=primary_types * grid * grid,
            in_dim=primary_dim,
            num_out_capsules=self.num_classes,
            out_dim=digit_dim,
            routing_iterations=routing_iterations,
        )
        self.head = nn.Sequential(digit_capsules, CapsuleLength())  # -> (B, num_classes)
        self.decoder = None
        if reconstruction:
            self.decoder = nn.Sequential(
                nn.Linear(self.num_classes * digit_dim, 256),
                nn.ReLU(),
                nn.Linear(256, 512),
                nn.ReLU(),
                nn.Linear(512, self.in_channels * self.image_size**2),
                nn.Sigmoid(),
            )

    @property
    def digit_capsules(self) -> DigitCapsules:
        """The routing layer, ``head[0]``: primary capsules -> digit capsules ``(B, K, D)``."""
        return cast(DigitCapsules, self.head[0])  # nn.Sequential items are typed as Module

    def _check_input(self, x: torch.Tensor) -> None:
        expected = (self.in_channels, self.image_size, self.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(f"CapsuleNet expects (B, {expected}), got shape {tuple(x.shape)}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        return self.head(self.features(x))

    def reconstruct(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """Redraw the images from the digit capsule of ``labels`` (default: the predicted class).

        All other digit capsules are masked to zero before the decoder, as in the paper.
        Returns images shaped like ``x``, in [0, 1]. Needs ``reconstruction=True``.
        """
        if self.decoder is None:
            raise ValueError("reconstruct needs a model built with reconstruction=True")
        self._check_input(x)
        v = self.digit_capsules(self.features(x))  # (B, K, D)
        if labels is None:
            labels = v.norm(dim=-1).argmax(dim=-1)
        mask = F.one_hot(labels.long(), self.num_classes).to(v.dtype)  # (B,) -> (B, K)
        flat = (v * mask.unsqueeze(-1)).flatten(1)  # (B, K, D) -> (B, K*D)
        return self.decoder(flat).view_as(x)  # (B, C*S*S) -> (B, C, S, S)
