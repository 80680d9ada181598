"""Autoencoders: an encoder squeezes the input into a small code, a decoder rebuilds it.

Hinton & Salakhutdinov (2006), "Reducing the dimensionality of data with neural networks",
Science 313:504-507, https://doi.org/10.1126/science.1127647. Denoising autoencoders (train on a
corrupted input, reconstruct the clean one; corrupt with :func:`dlguide.data.add_noise`): Vincent
et al. (2008), "Extracting and composing robust features with denoising autoencoders", ICML,
https://doi.org/10.1145/1390156.1390294.

Both models have the same surface: ``encode(x) -> z``, ``decode(z) -> x_hat`` and
``forward(x) = decode(encode(x))``. Outputs pass through a sigmoid, so they lie in ``[0, 1]`` like
the images they reconstruct; train with ``"mse"`` (or binary cross-entropy) against the clean
input. :func:`reconstruction_error` gives one error per example, the score of autoencoder anomaly
detection (inputs unlike the training data reconstruct badly).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from dlguide._autoencoder import check_conv_sizes, check_dense_sizes
from dlguide._checks import ArrayLike
from dlguide.torch.mlp import dense_stack

# ---------------------------------------------------------------- helpers


@torch.no_grad()
def reconstruction_error(model: nn.Module, x: ArrayLike) -> torch.Tensor:
    """Mean squared error between each example and its reconstruction.

    Args:
        model: An autoencoder whose forward returns one tensor (put in evaluation mode).
        x: Inputs of shape ``(B, ...)`` as the model expects them (array or tensor).

    Returns:
        A float tensor of shape ``(B,)`` on the CPU: the mean over all values of each example.

    Raises:
        TypeError: If ``model`` is not a module or its output is not a tensor.
        ValueError: If the output does not hold as many values per example as the input.

    Example:
        >>> import torch
        >>> from dlguide.torch import DenseAutoencoder, reconstruction_error
        >>> model = DenseAutoencoder(num_inputs=64, num_hiddens=(32,), latent_dim=4)
        >>> reconstruction_error(model, torch.rand(5, 64)).shape
        torch.Size([5])
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    model.eval()
    x = torch.as_tensor(x, dtype=torch.float32)
    x_hat = model(x)
    if not isinstance(x_hat, torch.Tensor):
        raise TypeError(f"model must return one tensor, got {type(x_hat).__name__}")
    x, x_hat = x.reshape(len(x), -1), x_hat.reshape(len(x_hat), -1)  # (B, ...) -> (B, D)
    if x.shape != x_hat.shape:
        raise ValueError(
            f"reconstruction of shape {tuple(x_hat.shape)} does not match input {tuple(x.shape)}"
        )
    return ((x_hat - x) ** 2).mean(dim=1).cpu()  # (B, D) -> (B,)


def _check_input(x: torch.Tensor, expected: tuple[int, ...], name: str) -> None:
    if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
        raise ValueError(
            f"{name} expects inputs of shape (B, {', '.join(map(str, expected))}), "
            f"got {tuple(x.shape)}"
        )


# ---------------------------------------------------------------- models


class DenseAutoencoder(nn.Module):
    """A fully connected autoencoder: ``num_inputs -> num_hiddens -> latent_dim`` and back.

    The decoder mirrors the encoder (hidden widths reversed) and ends in a sigmoid.

    Args:
        num_inputs: Values per example after flattening (784 for 28x28 images).
        num_hiddens: Widths of the encoder's hidden layers; the decoder uses them reversed.
        latent_dim: Size of the code ``z``.

    Example:
        >>> import torch
        >>> from dlguide.torch import DenseAutoencoder
        >>> model = DenseAutoencoder()
        >>> model.encode(torch.rand(3, 28, 28)).shape, model(torch.rand(3, 28, 28)).shape
        (torch.Size([3, 16]), torch.Size([3, 784]))
    """

    def __init__(
        self, *, num_inputs: int = 784, num_hiddens: Sequence[int] = (256, 64), latent_dim: int = 16
    ) -> None:
        super().__init__()
        self.num_inputs, num_hiddens, self.latent_dim = check_dense_sizes(
            num_inputs, num_hiddens, latent_dim
        )

        widths = (self.num_inputs, *num_hiddens)
        self.encoder = nn.Sequential(
            nn.Flatten(),  # (B, ...) -> (B, num_inputs)
            *dense_stack(widths),  # (B, num_inputs) -> (B, widths[-1])
            nn.Linear(widths[-1], self.latent_dim),  # (B, widths[-1]) -> (B, latent_dim)
        )
        widths = (self.latent_dim, *reversed(num_hiddens))  # the decoder mirrors the encoder
        self.decoder = nn.Sequential(
            *dense_stack(widths),  # (B, latent_dim) -> (B, widths[-1])
            nn.Linear(widths[-1], self.num_inputs),  # (B, widths[-1]) -> (B, num_inputs)
            nn.Sigmoid(),
        )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Map inputs ``(B, ...)`` of ``num_inputs`` values each to codes ``(B, latent_dim)``."""
        if x.ndim < 2 or x[0].numel() != self.num_inputs:
            raise ValueError(
                f"DenseAutoencoder expects {self.num_inputs} values per example, "
                f"got input of shape {tuple(x.shape)}"
            )
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Map codes ``(B, latent_dim)`` to flat reconstructions ``(B, num_inputs)`` in [0, 1]."""
        _check_input(z, (self.latent_dim,), "decode")
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))  # (B, ...) -> (B, latent_dim) -> (B, num_inputs)


class ConvAutoencoder(nn.Module):
    """A convolutional autoencoder for square images, channels-first ``(B, C, H, W)``.

    Encoder: stride-2 3x3 convolutions (each halves the side) with ReLU, then a linear layer to
    the code. Decoder: a linear layer back to the smallest feature map, then stride-2 transposed
    convolutions (each doubles the side), the last one ending in a sigmoid.

    Args:
        in_channels: Channels of the images (1 for grey).
        image_size: Side of the square images; must be divisible by ``2 ** len(channels)``.
        channels: Output channels of the encoder's convolutions (the decoder reverses them).
        latent_dim: Size of the code ``z``.

    Example:
        >>> import torch
        >>> from dlguide.torch import ConvAutoencoder
        >>> model = ConvAutoencoder()
        >>> model(torch.rand(2, 1, 28, 28)).shape
        torch.Size([2, 1, 28, 28])
    """

    def __init__(
        self,
        *,
        in_channels: int = 1,
        image_size: int = 28,
        channels: Sequence[int] = (16, 32),
        latent_dim: int = 16,
    ) -> None:
        super().__init__()
        self.in_channels, self.image_size, channels, self.latent_dim, side = check_conv_sizes(
            in_channels, image_size, channels, latent_dim
        )
        self._smallest = (channels[-1], side, side)

        layers: list[nn.Module] = []
        width = self.in_channels
        for out in channels:  # (B, C, S, S) -> (B, out, S/2, S/2)
            layers += [nn.Conv2d(width, out, kernel_size=3, stride=2, padding=1), nn.ReLU()]
            width = out
        layers += [
            nn.Flatten(),
            nn.Linear(width * side * side, self.latent_dim),
        ]  # -> (B, latent_dim)
        self.encoder = nn.Sequential(*layers)

        layers = [
            nn.Linear(self.latent_dim, width * side * side),  # (B, latent_dim) -> (B, C*s*s)
            nn.ReLU(),
            nn.Unflatten(1, self._smallest),  # (B, C*s*s) -> (B, C, s, s)
        ]
        targets = [*reversed(channels[:-1]), self.in_channels]
        for i, out in enumerate(targets):  # (B, C, S, S) -> (B, out, 2S, 2S)
            layers.append(
                nn.ConvTranspose2d(width, out, kernel_size=3, stride=2, padding=1, output_padding=1)
            )
            layers.append(nn.ReLU() if i < len(targets) - 1 else nn.Sigmoid())
            width = out
        self.decoder = nn.Sequential(*layers)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Map images ``(B, C, H, W)`` to codes ``(B, latent_dim)``."""
        _check_input(x, (self.in_channels, self.image_size, self.image_size), "ConvAutoencoder")
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Map codes ``(B, latent_dim)`` to images ``(B, C, H, W)`` in [0, 1]."""
        _check_input(z, (self.latent_dim,), "decode")
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))  # (B, C, H, W) -> (B, latent_dim) -> (B, C, H, W)
