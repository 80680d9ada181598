"""Generative adversarial networks, the Keras twins of :mod:`dlguide.torch.gan`.

Goodfellow et al. (2014), "Generative Adversarial Networks", https://arxiv.org/abs/1406.2661.
DCGAN: Radford, Metz & Chintala (2015), "Unsupervised Representation Learning with Deep
Convolutional Generative Adversarial Networks", https://arxiv.org/abs/1511.06434.

The four networks are functional Keras models with the same layers and parameter counts as their
PyTorch twins; images are channels-last ``(B, 28, 28, 1)`` here, ``(B, 1, 28, 28)`` in PyTorch.
Where PyTorch has the function ``gan_train_step``, Keras has :class:`GAN`, a ``keras.Model``
subclass whose ``compile`` takes two optimisers and whose custom ``train_step`` alternates one
discriminator step and one generator step (the non-saturating loss), so ``GAN.fit(x)`` trains
both networks: the lesson is how Keras lets you write your own training step. That step takes
its gradients with a ``tf.GradientTape``, so :class:`GAN` needs the TensorFlow backend (it raises
``RuntimeError`` when built under another); the four networks run on any backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers, ops

from dlguide._checks import check_positive_int
from dlguide._gan import IMAGE_SIZE, check_channels
from dlguide.keras._backend import require_tensorflow_backend
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor

# ---------------------------------------------------------------- helpers


def _bce_with_logits(logits: Tensor, label: float) -> Tensor:
    """Mean binary cross-entropy of ``logits`` against a constant label (0 or 1)."""
    targets = ops.full_like(logits, label)
    return ops.mean(ops.relu(logits) - logits * targets + ops.log1p(ops.exp(-ops.abs(logits))))


@keras.saving.register_keras_serializable(package="dlguide")
class GAN(ConstructorConfig, keras.Model):
    """A generator and a discriminator trained against each other by ``fit``.

    ``compile(d_optimizer=..., g_optimizer=...)`` takes one optimiser per network. Each
    ``train_step`` draws ``z ~ N(0, I)`` (the model's seed generator), takes one discriminator
    step on the binary cross-entropy (real -> 1, fake -> 0, the two halves summed) and one
    generator step on the non-saturating loss ``-log D(G(z))``, and reports ``d_loss`` and
    ``g_loss``. Calling the model generates: ``gan(z) == generator(z)``.

    Args:
        generator: Maps ``(B, latent_dim)`` noise to fake examples shaped like the data.
        discriminator: Maps examples to logits of shape ``(B, 1)``.
        latent_dim: Size of the generator's noise input.

    Raises:
        RuntimeError: If Keras runs on a backend other than TensorFlow (see the module's
            docstring).

    Example:
        >>> import keras
        >>> from dlguide.data import make_ring_data
        >>> from dlguide.keras import GAN, Discriminator2D, Generator2D
        >>> gan = GAN(generator=Generator2D(), discriminator=Discriminator2D(), latent_dim=2)
        >>> gan.compile(
        ...     d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3)
        ... )
        >>> history = gan.fit(make_ring_data(256), epochs=1, batch_size=64, verbose=0)
        >>> sorted(history.history)
        ['d_loss', 'g_loss']
    """

    def __init__(
        self, *, generator: keras.Model, discriminator: keras.Model, latent_dim: int, **kwargs: Any
    ) -> None:
        require_tensorflow_backend("dlguide.keras.GAN", "trains with a TensorFlow GradientTape")
        super().__init__(**kwargs)
        for name, value in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(value, keras.Model):
                raise TypeError(f"{name} must be a keras.Model, got {type(value).__name__}")
        self.latent_dim = check_positive_int("latent_dim", latent_dim)
        expected = getattr(generator, "input_shape", None)
        if isinstance(expected, tuple) and expected[-1] not in (None, self.latent_dim):
            raise ValueError(
                f"latent_dim={latent_dim} does not match the generator's input shape {expected}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.seed_generator = keras.random.SeedGenerator()
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.built = True  # both networks are functional models, built already

    def compile(
        self,
        *,
        d_optimizer: keras.optimizers.Optimizer,
        g_optimizer: keras.optimizers.Optimizer,
        **kwargs: Any,
    ) -> None:
        """Configure training with one optimiser per network."""
        for name, value in (("d_optimizer", d_optimizer), ("g_optimizer", g_optimizer)):
            if not isinstance(value, keras.optimizers.Optimizer):
                raise TypeError(
                    f"{name} must be a keras.optimizers.Optimizer, got {type(value).__name__}"
                )
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    def call(self, z: Tensor, training: bool | None = None) -> Tensor:
        return self.generator(z, training=training)

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, data: Any) -> dict[str, Tensor]:
        """One discriminator step then one generator step on a batch of real examples."""
        import tensorflow as tf

        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        z = keras.random.normal((ops.shape(real)[0], self.latent_dim), seed=self.seed_generator)

        # Discriminator: push D(real) -> 1 and D(G(z)) -> 0; only D's weights move.
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            d_loss = _bce_with_logits(
                self.discriminator(real, training=True), 1.0
            ) + _bce_with_logits(self.discriminator(fake, training=True), 0.0)
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, weights), weights, strict=True))

        # Generator: non-saturating loss -log D(G(z)); only G's weights move.
        with tf.GradientTape() as tape:
            g_loss = _bce_with_logits(
                self.discriminator(self.generator(z, training=True), training=True), 1.0
            )
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, weights), weights, strict=True))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {metric.name: metric.result() for metric in self.metrics}

    def get_compile_config(self) -> None:
        """Nothing to save: after loading, call ``compile`` again with two optimisers."""
        return None


# ---------------------------------------------------------------- 2-D toy models


@keras.saving.register_keras_serializable(package="dlguide")
class Generator2D(ConstructorConfig, keras.Model):
    """Noise ``(B, latent_dim)`` -> points ``(B, 2)``: an MLP with two ReLU hidden layers.

    Args:
        latent_dim: Size of the noise input.
        num_hiddens: Width of both hidden layers.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import Generator2D
        >>> Generator2D()(np.random.randn(5, 2)).shape
        TensorShape([5, 2])
    """

    def __init__(self, *, latent_dim: int = 2, num_hiddens: int = 64, **kwargs: Any) -> None:
        latent_dim = check_positive_int("latent_dim", latent_dim)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        z = inputs = keras.Input(shape=(latent_dim,))
        z = layers.Dense(num_hiddens, activation="relu")(z)  # (B, latent_dim) -> (B, H)
        z = layers.Dense(num_hiddens, activation="relu")(z)
        outputs = layers.Dense(2)(z)  # (B, H) -> (B, 2)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


@keras.saving.register_keras_serializable(package="dlguide")
class Discriminator2D(ConstructorConfig, keras.Model):
    """Points ``(B, 2)`` -> logits ``(B, 1)``: an MLP with two LeakyReLU(0.2) hidden layers.

    Args:
        num_hiddens: Width of both hidden layers.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import Discriminator2D
        >>> Discriminator2D()(np.random.randn(5, 2)).shape
        TensorShape([5, 1])
    """

    def __init__(self, *, num_hiddens: int = 64, **kwargs: Any) -> None:
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        x = inputs = keras.Input(shape=(2,))
        x = layers.Dense(num_hiddens)(x)  # (B, 2) -> (B, H)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        x = layers.Dense(num_hiddens)(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        outputs = layers.Dense(1)(x)  # (B, H) -> (B, 1) logit
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


# ---------------------------------------------------------------- DCGAN for 28x28 images


@keras.saving.register_keras_serializable(package="dlguide")
class DCGANGenerator(ConstructorConfig, keras.Model):
    """Noise ``(B, latent_dim)`` -> images ``(B, 28, 28, 1)`` in ``[-1, 1]`` (tanh).

    A dense layer makes a ``7 x 7 x channels[0]`` map (``14 x 14`` with one entry); each stride-2
    4x4 transposed convolution doubles the side (7 -> 14 -> 28). Batch normalisation (momentum
    and epsilon set to PyTorch's defaults) and ReLU follow every layer but the last; layers
    followed by batch normalisation have no bias.

    Args:
        latent_dim: Size of the noise input.
        channels: Channels of the feature maps before each upsampling, 1 or 2 entries.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import DCGANGenerator
        >>> DCGANGenerator()(np.random.randn(3, 64)).shape
        TensorShape([3, 28, 28, 1])
    """

    def __init__(
        self, *, latent_dim: int = 64, channels: Sequence[int] = (64, 32), **kwargs: Any
    ) -> None:
        latent_dim = check_positive_int("latent_dim", latent_dim)
        channels = check_channels(channels)
        side = IMAGE_SIZE // 2 ** len(channels)
        z = inputs = keras.Input(shape=(latent_dim,))
        z = layers.Dense(side * side * channels[0], use_bias=False)(z)  # (B, Z) -> (B, s*s*C)
        z = layers.BatchNormalization(momentum=0.9, epsilon=1e-5)(z)
        z = layers.ReLU()(z)
        z = layers.Reshape((side, side, channels[0]))(z)  # (B, s*s*C) -> (B, s, s, C)
        for c_out in channels[1:]:  # (B, S, S, C) -> (B, 2S, 2S, C')
            z = layers.Conv2DTranspose(c_out, 4, strides=2, padding="same", use_bias=False)(z)
            z = layers.BatchNormalization(momentum=0.9, epsilon=1e-5)(z)
            z = layers.ReLU()(z)
        outputs = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(
            z
        )  # -> (B, 28, 28, 1)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


@keras.saving.register_keras_serializable(package="dlguide")
class DCGANDiscriminator(ConstructorConfig, keras.Model):
    """Images ``(B, 28, 28, 1)`` -> logits ``(B, 1)``.

    Stride-2 4x4 convolutions with LeakyReLU(0.2) halve the side (28 -> 14 -> 7); a dense layer
    maps the flattened map to one logit. No batch normalisation (see the PyTorch twin for why).

    Args:
        channels: Output channels of the convolutions, 1 or 2 entries.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import DCGANDiscriminator
        >>> DCGANDiscriminator()(np.random.randn(3, 28, 28, 1)).shape
        TensorShape([3, 1])
    """

    def __init__(self, *, channels: Sequence[int] = (32, 64), **kwargs: Any) -> None:
        channels = check_channels(channels)
        x = inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1))
        for out in channels:  # (B, S, S, C) -> (B, S/2, S/2, out)
            x = layers.Conv2D(out, 4, strides=2, padding="same")(x)
            x = layers.LeakyReLU(negative_slope=0.2)(x)
        x = layers.Flatten()(x)  # (B, s, s, C) -> (B, s*s*C)
        outputs = layers.Dense(1)(x)  # -> (B, 1) logit
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
