"""Framework-free pieces of the autoencoder and VAE twins (:mod:`dlguide.torch.autoencoder`,
:mod:`dlguide.keras.autoencoder`, :mod:`dlguide.torch.vae`, :mod:`dlguide.keras.vae`): the checks
of their sizes and the shape arithmetic of the convolutional autoencoder."""

from __future__ import annotations

from collections.abc import Sequence

from dlguide._checks import check_int_sequence, check_positive_int


def check_dense_sizes(
    num_inputs: int, num_hiddens: Sequence[int], latent_dim: int
) -> tuple[int, tuple[int, ...], int]:
    """Return ``(num_inputs, num_hiddens, latent_dim)`` of a dense encoder, once checked."""
    num_inputs = check_positive_int("num_inputs", num_inputs)
    hiddens = check_int_sequence("num_hiddens", num_hiddens, minimum=1)
    latent_dim = check_positive_int("latent_dim", latent_dim)
    return num_inputs, hiddens, latent_dim


def check_conv_sizes(
    in_channels: int, image_size: int, channels: Sequence[int], latent_dim: int
) -> tuple[int, int, tuple[int, ...], int, int]:
    """Check the sizes of the convolutional autoencoder; return them and the smallest side.

    Each of the ``len(channels)`` stride-2 convolutions halves the side, so ``image_size`` must
    be divisible by ``2 ** len(channels)``.

    Returns:
        ``(in_channels, image_size, channels, latent_dim, side)``, ``side`` the height and width
        of the last feature map.

    >>> check_conv_sizes(1, 28, (16, 32), 16)[-1]  # 28 -> 14 -> 7
    7
    """
    in_channels = check_positive_int("in_channels", in_channels)
    size = check_positive_int("image_size", image_size)
    widths = check_int_sequence("channels", channels, minimum=1, allow_empty=False)
    latent_dim = check_positive_int("latent_dim", latent_dim)
    factor = 2 ** len(widths)
    if size % factor:
        raise ValueError(
            f"image_size must be divisible by 2 ** len(channels) = {factor}, got {image_size}"
        )
    return in_channels, size, widths, latent_dim, size // factor
