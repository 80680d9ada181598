"""A variational autoencoder (VAE) with a Gaussian encoder and a Bernoulli decoder.

Kingma & Welling (2013), "Auto-Encoding Variational Bayes", https://arxiv.org/abs/1312.6114.

The encoder maps ``x`` to the mean ``mu`` and log-variance ``logvar`` of a diagonal Gaussian
``q(z|x)``; :meth:`VAE.reparameterize` draws ``z = mu + sigma * eps`` with ``eps ~ N(0, I)`` so
gradients flow through the draw; the decoder maps ``z`` to the **logits** of independent
Bernoulli pixels ``p(x|z)`` (``sigmoid(logits)`` is the mean image). Training minimises the
negative ELBO, :func:`elbo_loss`: a reconstruction term (binary cross-entropy) plus the KL
divergence from ``q(z|x)`` to the prior ``N(0, I)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from dlguide._autoencoder import check_dense_sizes
from dlguide._checks import check_int, check_positive_int
from dlguide.torch.mlp import dense_stack

# ---------------------------------------------------------------- helpers


def elbo_loss(
    x: torch.Tensor, logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The negative evidence lower bound and its two terms, averaged over the batch.

    ``reconstruction`` is the binary cross-entropy between ``x`` and ``sigmoid(logits)`` summed
    over the values of one example; ``kl`` is ``KL(N(mu, exp(logvar)) || N(0, I))`` in closed form,
    ``-0.5 * sum(1 + logvar - mu**2 - exp(logvar))``, summed over the latent dimensions. Both are
    then averaged over the examples (reduction: sum per example, mean over the batch), and
    ``loss = reconstruction + kl``. Both terms are >= 0 when ``x`` lies in ``[0, 1]``.

    Args:
        x: Targets in ``[0, 1]``, shape ``(B, ...)`` holding as many values as ``logits``.
        logits: Decoder output, shape ``(B, D)``.
        mu: Encoder means, shape ``(B, latent_dim)``.
        logvar: Encoder log-variances, shape ``(B, latent_dim)``.

    Returns:
        ``(loss, reconstruction, kl)``, three scalar tensors.

    Example:
        >>> import torch
        >>> from dlguide.torch import VAE, elbo_loss
        >>> model, x = VAE(num_inputs=64), torch.rand(4, 64)
        >>> loss, reconstruction, kl = elbo_loss(x, *model(x))
        >>> bool(loss >= kl >= 0)
        True
    """
    x = x.reshape(logits.shape)  # (B, ...) -> (B, D)
    reconstruction = (
        F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1).mean()
    )
    kl = (-0.5 * (1 + logvar - mu**2 - logvar.exp())).sum(dim=1).mean()
    return reconstruction + kl, reconstruction, kl


@torch.no_grad()
def sample(model: VAE, n: int, *, seed: int = 0) -> torch.Tensor:
    """Decode ``n`` codes drawn from the prior ``N(0, I)``: new examples from a trained VAE.

    Args:
        model: A :class:`VAE` (put in evaluation mode).
        n: Number of samples, >= 1.
        seed: Seed of the draw of the codes, a non-negative int.

    Returns:
        Bernoulli means ``sigmoid(decode(z))``, shape ``(n, num_inputs)``, values in [0, 1], on the
        model's device.

    Example:
        >>> from dlguide.torch import VAE, sample
        >>> sample(VAE(), 6, seed=0).shape
        torch.Size([6, 784])
    """
    if not isinstance(model, VAE):
        raise TypeError(f"model must be a VAE, got {type(model).__name__}")
    n = check_positive_int("n", n)
    seed = check_int("seed", seed, minimum=0)
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    z = torch.randn(n, model.latent_dim, generator=generator)  # (n, latent_dim) ~ N(0, I)
    device = next(model.parameters()).device
    return torch.sigmoid(model.decode(z.to(device)))  # (n, latent_dim) -> (n, num_inputs)


# ---------------------------------------------------------------- model


class VAE(nn.Module):
    """A dense VAE for flattened images: ``x -> (mu, logvar) -> z -> logits``.

    Args:
        num_inputs: Values per example after flattening (784 for 28x28 images).
        num_hiddens: Widths of the encoder's hidden layers (ReLU); the decoder uses them reversed.
        latent_dim: Size of the code ``z`` (2 lets you plot the latent space).

    Example:
        >>> import torch
        >>> from dlguide.torch import VAE
        >>> logits, mu, logvar = VAE()(torch.rand(3, 28, 28))
        >>> logits.shape, mu.shape
        (torch.Size([3, 784]), torch.Size([3, 2]))
    """

    def __init__(
        self, *, num_inputs: int = 784, num_hiddens: Sequence[int] = (256,), latent_dim: int = 2
    ) -> None:
        super().__init__()
        self.num_inputs, num_hiddens, self.latent_dim = check_dense_sizes(
            num_inputs, num_hiddens, latent_dim
        )

        widths = (self.num_inputs, *num_hiddens)
        self.encoder = nn.Sequential(
            nn.Flatten(),  # (B, ...) -> (B, num_inputs)
            *dense_stack(widths),  # (B, num_inputs) -> (B, width)
        )
        width = widths[-1]
        self.to_mu = nn.Linear(width, self.latent_dim)  # (B, width) -> (B, latent_dim)
        self.to_logvar = nn.Linear(width, self.latent_dim)  # (B, width) -> (B, latent_dim)

        widths = (self.latent_dim, *reversed(num_hiddens))  # the decoder mirrors the encoder
        self.decoder = nn.Sequential(
            *dense_stack(widths),  # (B, latent_dim) -> (B, widths[-1])
            nn.Linear(widths[-1], self.num_inputs),  # (B, widths[-1]) -> (B, num_inputs) logits
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``(mu, logvar)`` of ``q(z|x)``, each ``(B, latent_dim)``."""
        if x.ndim < 2 or x[0].numel() != self.num_inputs:
            raise ValueError(
                f"VAE expects {self.num_inputs} values per example, "
                f"got input of shape {tuple(x.shape)}"
            )
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        """Draw ``z = mu + exp(logvar / 2) * eps``, ``eps ~ N(0, I)`` (PyTorch's global RNG)."""
        return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Return the Bernoulli logits ``(B, num_inputs)`` of ``p(x|z)`` (sigmoid gives pixels)."""
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"decode expects codes of shape (B, {self.latent_dim}), got {tuple(z.shape)}"
            )
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Return ``(logits, mu, logvar)``; ``z`` is drawn afresh on every call."""
        mu, logvar = self.encode(x)  # (B, ...) -> 2 x (B, latent_dim)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar  # (B, latent_dim) -> (B, num_inputs)
