"""Generative adversarial networks: a generator and a discriminator trained against each other.

Goodfellow et al. (2014), "Generative Adversarial Networks", https://arxiv.org/abs/1406.2661.
DCGAN: Radford, Metz & Chintala (2015), "Unsupervised Representation Learning with Deep
Convolutional Generative Adversarial Networks", https://arxiv.org/abs/1511.06434.

The generator maps noise ``z ~ N(0, I)`` to a sample; the discriminator maps a sample to one
**logit**, high for "real". :func:`gan_train_step` alternates one discriminator step (binary
cross-entropy: real -> 1, fake -> 0) and one generator step with the *non-saturating* loss of
Goodfellow et al. (label the fakes 1, so the generator's gradient stays large when the
discriminator wins). Two sizes: :class:`Generator2D`/:class:`Discriminator2D` for points in the
plane (fit :func:`dlguide.data.make_ring_data`) and :class:`DCGANGenerator`/
:class:`DCGANDiscriminator` for 28x28 grey images scaled to ``[-1, 1]``, channels-first.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from dlguide._checks import check_positive_int
from dlguide._gan import IMAGE_SIZE, check_channels

# ---------------------------------------------------------------- helpers


def gan_train_step(
    generator: nn.Module,
    discriminator: nn.Module,
    real: torch.Tensor,
    g_opt: torch.optim.Optimizer,
    d_opt: torch.optim.Optimizer,
    *,
    latent_dim: int,
) -> tuple[float, float]:
    """One discriminator step then one generator step on a batch of real examples.

    Noise is drawn from PyTorch's global generator (seed it with ``seed_everything``).

    Args:
        generator: Maps ``(B, latent_dim)`` noise to fake examples shaped like ``real``.
        discriminator: Maps examples to logits of shape ``(B, 1)``.
        real: A batch of real examples, on the models' device.
        g_opt: Optimiser over the generator's parameters.
        d_opt: Optimiser over the discriminator's parameters.
        latent_dim: Size of the generator's noise input.

    Returns:
        ``(d_loss, g_loss)`` as floats: the discriminator's BCE on real and fake (summed over the
        two halves) and the generator's non-saturating BCE ``-log D(G(z))``.

    Example:
        >>> import torch
        >>> from dlguide.data import make_ring_data
        >>> from dlguide.torch import Discriminator2D, Generator2D, gan_train_step
        >>> g, d = Generator2D(), Discriminator2D()
        >>> g_opt, d_opt = torch.optim.Adam(g.parameters()), torch.optim.Adam(d.parameters())
        >>> real = torch.as_tensor(make_ring_data(64))
        >>> d_loss, g_loss = gan_train_step(g, d, real, g_opt, d_opt, latent_dim=2)
    """
    for name, value in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(value, nn.Module):
            raise TypeError(f"{name} must be a torch.nn.Module, got {type(value).__name__}")
    latent_dim = check_positive_int("latent_dim", latent_dim)
    generator.train()
    discriminator.train()
    z = torch.randn(len(real), latent_dim, device=real.device)  # (B, latent_dim)

    # Discriminator: push D(real) -> 1 and D(G(z)) -> 0; the fakes are detached from G.
    fake = generator(z)
    real_logits, fake_logits = discriminator(real), discriminator(fake.detach())  # (B, 1) each
    d_loss = F.binary_cross_entropy_with_logits(
        real_logits, torch.ones_like(real_logits)
    ) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    d_opt.zero_grad(set_to_none=True)
    d_loss.backward()
    d_opt.step()

    # Generator: non-saturating loss, -log D(G(z)); D is frozen so its gradients stay untouched.
    discriminator.requires_grad_(False)
    fake_logits = discriminator(fake)
    g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    g_opt.zero_grad(set_to_none=True)
    g_loss.backward()
    g_opt.step()
    discriminator.requires_grad_(True)
    return float(d_loss.detach()), float(g_loss.detach())


# ---------------------------------------------------------------- 2-D toy models


class Generator2D(nn.Module):
    """Noise ``(B, latent_dim)`` -> points ``(B, 2)``: an MLP with two ReLU hidden layers.

    Args:
        latent_dim: Size of the noise input.
        num_hiddens: Width of both hidden layers.

    Example:
        >>> import torch
        >>> from dlguide.torch import Generator2D
        >>> Generator2D()(torch.randn(5, 2)).shape
        torch.Size([5, 2])
    """

    def __init__(self, *, latent_dim: int = 2, num_hiddens: int = 64) -> None:
        super().__init__()
        self.latent_dim = check_positive_int("latent_dim", latent_dim)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        self.net = nn.Sequential(
            nn.Linear(self.latent_dim, num_hiddens),  # (B, latent_dim) -> (B, H)
            nn.ReLU(),
            nn.Linear(num_hiddens, num_hiddens),
            nn.ReLU(),
            nn.Linear(num_hiddens, 2),  # (B, H) -> (B, 2)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"Generator2D expects noise of shape (B, {self.latent_dim}), got {tuple(z.shape)}"
            )
        return self.net(z)


class Discriminator2D(nn.Module):
    """Points ``(B, 2)`` -> logits ``(B, 1)``: an MLP with two LeakyReLU(0.2) hidden layers.

    Args:
        num_hiddens: Width of both hidden layers.

    Example:
        >>> import torch
        >>> from dlguide.torch import Discriminator2D
        >>> Discriminator2D()(torch.randn(5, 2)).shape
        torch.Size([5, 1])
    """

    def __init__(self, *, num_hiddens: int = 64) -> None:
        super().__init__()
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        self.net = nn.Sequential(
            nn.Linear(2, num_hiddens),  # (B, 2) -> (B, H)
            nn.LeakyReLU(0.2),
            nn.Linear(num_hiddens, num_hiddens),
            nn.LeakyReLU(0.2),
            nn.Linear(num_hiddens, 1),  # (B, H) -> (B, 1) logit
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(
                f"Discriminator2D expects points of shape (B, 2), got {tuple(x.shape)}"
            )
        return self.net(x)


# ---------------------------------------------------------------- DCGAN for 28x28 images


class DCGANGenerator(nn.Module):
    """Noise ``(B, latent_dim)`` -> images ``(B, 1, 28, 28)`` in ``[-1, 1]`` (tanh).

    A linear layer makes a ``channels[0] x 7 x 7`` map (``14 x 14`` with one entry); each
    stride-2 4x4 transposed convolution doubles the side (7 -> 14 -> 28). As in DCGAN, batch
    normalisation and ReLU follow every layer but the last, and layers followed by batch
    normalisation have no bias (it would be cancelled).

    Args:
        latent_dim: Size of the noise input.
        channels: Channels of the feature maps before each upsampling, 1 or 2 entries.

    Example:
        >>> import torch
        >>> from dlguide.torch import DCGANGenerator
        >>> DCGANGenerator()(torch.randn(3, 64)).shape
        torch.Size([3, 1, 28, 28])
    """

    def __init__(self, *, latent_dim: int = 64, channels: Sequence[int] = (64, 32)) -> None:
        super().__init__()
        self.latent_dim = check_positive_int("latent_dim", latent_dim)
        channels = check_channels(channels)
        side = IMAGE_SIZE // 2 ** len(channels)
        layers: list[nn.Module] = [
            nn.Linear(
                self.latent_dim, channels[0] * side * side, bias=False
            ),  # (B, Z) -> (B, C*s*s)
            nn.BatchNorm1d(channels[0] * side * side),
            nn.ReLU(),
            nn.Unflatten(1, (channels[0], side, side)),  # (B, C*s*s) -> (B, C, s, s)
        ]
        for c_in, c_out in itertools.pairwise(channels):  # (B, C, S, S) -> (B, C', 2S, 2S)
            layers += [
                nn.ConvTranspose2d(c_in, c_out, kernel_size=4, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(c_out),
                nn.ReLU(),
            ]
        layers += [
            nn.ConvTranspose2d(channels[-1], 1, kernel_size=4, stride=2, padding=1),
            nn.Tanh(),
        ]  # -> (B, 1, 28, 28)
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"DCGANGenerator expects noise of shape (B, {self.latent_dim}), "
                f"got {tuple(z.shape)}"
            )
        return self.net(z)


class DCGANDiscriminator(nn.Module):
    """Images ``(B, 1, 28, 28)`` -> logits ``(B, 1)``.

    Stride-2 4x4 convolutions with LeakyReLU(0.2) halve the side (28 -> 14 -> 7); a linear layer
    maps the flattened map to one logit. Unlike the DCGAN paper there is no batch normalisation
    here: real and fake batches pass separately, and batch statistics would let the
    discriminator tell them apart by their batch rather than by each image.

    Args:
        channels: Output channels of the convolutions, 1 or 2 entries.

    Example:
        >>> import torch
        >>> from dlguide.torch import DCGANDiscriminator
        >>> DCGANDiscriminator()(torch.randn(3, 1, 28, 28)).shape
        torch.Size([3, 1])
    """

    def __init__(self, *, channels: Sequence[int] = (32, 64)) -> None:
        super().__init__()
        channels = check_channels(channels)
        side = IMAGE_SIZE // 2 ** len(channels)
        layers: list[nn.Module] = []
        width = 1
        for out in channels:  # (B, C, S, S) -> (B, out, S/2, S/2)
            layers += [nn.Conv2d(width, out, kernel_size=4, stride=2, padding=1), nn.LeakyReLU(0.2)]
            width = out
        layers += [nn.Flatten(), nn.Linear(width * side * side, 1)]  # (B, C, s, s) -> (B, 1)
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or tuple(x.shape[1:]) != (1, IMAGE_SIZE, IMAGE_SIZE):
            raise ValueError(
                f"DCGANDiscriminator expects images of shape (B, 1, 28, 28), got {tuple(x.shape)}"
            )
        return self.net(x)
