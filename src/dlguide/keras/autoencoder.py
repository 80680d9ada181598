"""Autoencoders, the Keras twins of :mod:`dlguide.torch.autoencoder`.

Hinton & Salakhutdinov (2006), "Reducing the dimensionality of data with neural networks",
Science 313:504-507, https://doi.org/10.1126/science.1127647. Denoising autoencoders (corrupt with
:func:`dlguide.data.add_noise`): Vincent et al. (2008), "Extracting and composing robust features
with denoising autoencoders", ICML, https://doi.org/10.1145/1390156.1390294.

Each model is a functional Keras model built from two functional sub-models, ``encoder`` and
``decoder``, so ``encode(x)``/``decode(z)`` call them and the model itself is
``decode(encode(x))``. Outputs pass through a sigmoid and lie in ``[0, 1]``. Images are
channels-last ``(B, H, W, C)`` here, channels-first in PyTorch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
from keras import layers

from dlguide._autoencoder import check_conv_sizes, check_dense_sizes
from dlguide._checks import check_int_sequence
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor
from dlguide.keras.mlp import dense_stack

# ---------------------------------------------------------------- helpers


def reconstruction_error(model: keras.Model, x: Tensor) -> np.ndarray:
    """Mean squared error between each example and its reconstruction.

    Args:
        model: An autoencoder whose call returns one tensor (run with ``training=False``).
        x: Inputs of shape ``(B, ...)`` as the model expects them.

    Returns:
        A NumPy ``float32`` array of shape ``(B,)``: the mean over all values of each example.

    Raises:
        TypeError: If ``model`` is not a Keras model or its output is not one tensor.
        ValueError: If the output does not hold as many values per example as the input.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import DenseAutoencoder, reconstruction_error
        >>> model = DenseAutoencoder(num_inputs=64, num_hiddens=(32,), latent_dim=4)
        >>> reconstruction_error(model, np.random.rand(5, 64)).shape
        (5,)
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    x = np.asarray(x, dtype=np.float32)
    x_hat = model(x, training=False)
    if isinstance(x_hat, (tuple, list, dict)):
        raise TypeError(f"model must return one tensor, got {type(x_hat).__name__}")
    x_hat = keras.ops.convert_to_numpy(x_hat)
    x, x_hat = x.reshape(len(x), -1), x_hat.reshape(len(x_hat), -1)  # (B, ...) -> (B, D)
    if x.shape != x_hat.shape:
        raise ValueError(f"reconstruction of shape {x_hat.shape} does not match input {x.shape}")
    return ((x_hat - x) ** 2).mean(axis=1)  # (B, D) -> (B,)


class _Autoencoder(ConstructorConfig, keras.Model):
    """Shared ``encode``/``decode`` of the two functional autoencoders."""

    def encode(self, x: Tensor) -> Tensor:
        """Map inputs to codes ``(B, latent_dim)``."""
        return self.encoder(x)

    def decode(self, z: Tensor) -> Tensor:
        """Map codes ``(B, latent_dim)`` to reconstructions in [0, 1]."""
        return self.decoder(z)


# ---------------------------------------------------------------- models


@keras.saving.register_keras_serializable(package="dlguide")
class DenseAutoencoder(_Autoencoder):
    """A fully connected autoencoder: ``num_inputs -> num_hiddens -> latent_dim`` and back.

    The decoder mirrors the encoder (hidden widths reversed) and ends in a sigmoid; its output is
    flat, ``(B, num_inputs)``, as in PyTorch.

    Args:
        num_inputs: Values per example after flattening (784 for 28x28 images).
        num_hiddens: Widths of the encoder's hidden layers; the decoder uses them reversed.
        latent_dim: Size of the code ``z``.
        input_shape: Shape of one example before flattening; default ``(num_inputs,)``.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import DenseAutoencoder
        >>> model = DenseAutoencoder(input_shape=(28, 28))
        >>> model(np.random.rand(3, 28, 28)).shape
        TensorShape([3, 784])
    """

    def __init__(
        self,
        *,
        num_inputs: int = 784,
        num_hiddens: Sequence[int] = (256, 64),
        latent_dim: int = 16,
        input_shape: Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        num_inputs, num_hiddens, latent_dim = check_dense_sizes(num_inputs, num_hiddens, latent_dim)
        input_shape = check_int_sequence("input_shape", input_shape or (num_inputs,))
        if int(np.prod(input_shape)) != num_inputs:
            raise ValueError(
                f"input_shape {input_shape} holds {int(np.prod(input_shape))} values, "
                f"not num_inputs={num_inputs}"
            )

        x = inputs = keras.Input(shape=input_shape)
        x = layers.Flatten()(x)  # (B, ...) -> (B, num_inputs)
        for layer in dense_stack(num_hiddens):
            x = layer(x)  # (B, width) -> (B, hidden)
        x = layers.Dense(latent_dim)(x)  # (B, width) -> (B, latent_dim)
        encoder = keras.Model(inputs, x, name="encoder")

        z = codes = keras.Input(shape=(latent_dim,))
        for layer in dense_stack(num_hiddens[::-1]):  # the decoder mirrors the encoder
            z = layer(z)  # (B, width) -> (B, hidden)
        z = layers.Dense(num_inputs, activation="sigmoid")(z)  # (B, width) -> (B, num_inputs)
        decoder = keras.Model(codes, z, name="decoder")

        inputs = keras.Input(shape=input_shape)
        super().__init__(inputs=inputs, outputs=decoder(encoder(inputs)), **kwargs)
        self.encoder, self.decoder = encoder, decoder


@keras.saving.register_keras_serializable(package="dlguide")
class ConvAutoencoder(_Autoencoder):
    """A convolutional autoencoder for square images, channels-last ``(B, H, W, C)``.

    Encoder: stride-2 3x3 convolutions (each halves the side) with ReLU, then a dense layer to the
    code. Decoder: a dense layer back to the smallest feature map, then stride-2 transposed
    convolutions (each doubles the side), the last one ending in a sigmoid. Same parameters as
    the PyTorch twin.

    Args:
        in_channels: Channels of the images (1 for grey).
        image_size: Side of the square images; must be divisible by ``2 ** len(channels)``.
        channels: Output channels of the encoder's convolutions (the decoder reverses them).
        latent_dim: Size of the code ``z``.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import ConvAutoencoder
        >>> model = ConvAutoencoder()
        >>> model(np.random.rand(2, 28, 28, 1)).shape
        TensorShape([2, 28, 28, 1])
    """

    def __init__(
        self,
        *,
        in_channels: int = 1,
        image_size: int = 28,
        channels: Sequence[int] = (16, 32),
        latent_dim: int = 16,
        **kwargs: Any,
    ) -> None:
        in_channels, image_size, channels, latent_dim, side = check_conv_sizes(
            in_channels, image_size, channels, latent_dim
        )

        x = images = keras.Input(shape=(image_size, image_size, in_channels))
        for out in channels:  # (B, S, S, C) -> (B, S/2, S/2, out)
            x = layers.Conv2D(out, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Flatten()(x)  # (B, s, s, C) -> (B, s*s*C)
        x = layers.Dense(latent_dim)(x)  # -> (B, latent_dim)
        encoder = keras.Model(images, x, name="encoder")

        z = codes = keras.Input(shape=(latent_dim,))
        z = layers.Dense(side * side * channels[-1], activation="relu")(z)  # -> (B, s*s*C)
        z = layers.Reshape((side, side, channels[-1]))(z)  # (B, s*s*C) -> (B, s, s, C)
        targets = [*reversed(channels[:-1]), in_channels]
        for i, out in enumerate(targets):  # (B, S, S, C) -> (B, 2S, 2S, out)
            activation = "relu" if i < len(targets) - 1 else "sigmoid"
            z = layers.Conv2DTranspose(out, 3, strides=2, padding="same", activation=activation)(z)
        decoder = keras.Model(codes, z, name="decoder")

        inputs = keras.Input(shape=(image_size, image_size, in_channels))
        super().__init__(inputs=inputs, outputs=decoder(encoder(inputs)), **kwargs)
        self.encoder, self.decoder = encoder, decoder
