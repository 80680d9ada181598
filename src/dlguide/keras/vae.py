"""A variational autoencoder, the Keras twin of :mod:`dlguide.torch.vae`.

Kingma & Welling (2013), "Auto-Encoding Variational Bayes", https://arxiv.org/abs/1312.6114.

The lesson of this file is Keras' escape hatch from the standard loop: :class:`VAE` subclasses
``keras.Model``, creates its layers in ``__init__``, returns ``(logits, mu, logvar)`` from
``call`` and overrides ``train_step`` (and ``test_step``) to minimise :func:`elbo_loss`, so
``model.compile(optimizer="adam")`` then ``model.fit(x, epochs=...)`` trains it and reports the
loss and its two terms. The decoder outputs Bernoulli **logits**, as in PyTorch.

The training step takes its gradients with a ``tf.GradientTape``, so :class:`VAE` needs the
TensorFlow backend (it raises ``RuntimeError`` when built under another); :func:`elbo_loss` is
plain ``keras.ops`` and runs on any backend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import keras
from keras import layers, ops

from dlguide._autoencoder import check_dense_sizes
from dlguide._checks import check_int, check_positive_int
from dlguide.keras._backend import require_tensorflow_backend
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor
from dlguide.keras.mlp import dense_stack

# ---------------------------------------------------------------- helpers


def elbo_loss(
    x: Tensor, logits: Tensor, mu: Tensor, logvar: Tensor
) -> tuple[Tensor, Tensor, Tensor]:
    """The negative evidence lower bound and its two terms, averaged over the batch.

    ``reconstruction`` is the binary cross-entropy between ``x`` and ``sigmoid(logits)`` summed
    over the values of one example (written with the stable ``max(l, 0) - l*x + log(1 + e^-|l|)``);
    ``kl`` is ``-0.5 * sum(1 + logvar - mu**2 - exp(logvar))`` over the latent dimensions. Both are
    averaged over the examples (sum per example, mean over the batch); ``loss = reconstruction +
    kl``. Both terms are >= 0 when ``x`` lies in ``[0, 1]``.

    Args:
        x: Targets in ``[0, 1]``, shape ``(B, ...)`` holding as many values as ``logits``.
        logits: Decoder output, shape ``(B, D)``.
        mu: Encoder means, shape ``(B, latent_dim)``.
        logvar: Encoder log-variances, shape ``(B, latent_dim)``.

    Returns:
        ``(loss, reconstruction, kl)``, three scalar tensors.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import VAE, elbo_loss
        >>> model, x = VAE(num_inputs=64), np.random.rand(4, 64).astype("float32")
        >>> loss, reconstruction, kl = elbo_loss(x, *model(x))
        >>> bool(loss >= kl >= 0)
        True
    """
    x = ops.reshape(ops.cast(x, logits.dtype), ops.shape(logits))  # (B, ...) -> (B, D)
    bce = ops.relu(logits) - logits * x + ops.log1p(ops.exp(-ops.abs(logits)))  # (B, D)
    reconstruction = ops.mean(ops.sum(bce, axis=1))
    kl = ops.mean(ops.sum(-0.5 * (1.0 + logvar - ops.square(mu) - ops.exp(logvar)), axis=1))
    return reconstruction + kl, reconstruction, kl


def sample(model: VAE, n: int, *, seed: int = 0) -> Tensor:
    """Decode ``n`` codes drawn from the prior ``N(0, I)``: new examples from a trained VAE.

    Args:
        model: A :class:`VAE`.
        n: Number of samples, >= 1.
        seed: Seed of the draw of the codes, a non-negative int.

    Returns:
        Bernoulli means ``sigmoid(decode(z))``, shape ``(n, num_inputs)``, values in [0, 1].

    Example:
        >>> from dlguide.keras import VAE, sample
        >>> sample(VAE(), 6, seed=0).shape
        TensorShape([6, 784])
    """
    if not isinstance(model, VAE):
        raise TypeError(f"model must be a VAE, got {type(model).__name__}")
    n = check_positive_int("n", n)
    seed = check_int("seed", seed, minimum=0)
    z = keras.random.normal((n, model.latent_dim), seed=seed)  # (n, latent_dim) ~ N(0, I)
    return ops.sigmoid(model.decode(z))  # (n, latent_dim) -> (n, num_inputs)


# ---------------------------------------------------------------- model


@keras.saving.register_keras_serializable(package="dlguide")
class VAE(ConstructorConfig, keras.Model):
    """A dense VAE for flattened images: ``x -> (mu, logvar) -> z -> logits``.

    Args:
        num_inputs: Values per example after flattening (784 for 28x28 images).
        num_hiddens: Widths of the encoder's hidden layers (ReLU); the decoder uses them reversed.
        latent_dim: Size of the code ``z`` (2 lets you plot the latent space).

    Raises:
        RuntimeError: If Keras runs on a backend other than TensorFlow (see the module's
            docstring).

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import VAE
        >>> x = np.random.rand(64, 28, 28).astype("float32")
        >>> model = VAE()
        >>> model.compile(optimizer="adam")
        >>> history = model.fit(x, epochs=1, batch_size=32, verbose=0)
        >>> sorted(history.history)
        ['kl', 'loss', 'reconstruction']
    """

    def __init__(
        self,
        *,
        num_inputs: int = 784,
        num_hiddens: Sequence[int] = (256,),
        latent_dim: int = 2,
        **kwargs: Any,
    ) -> None:
        require_tensorflow_backend("dlguide.keras.VAE", "trains with a TensorFlow GradientTape")
        super().__init__(**kwargs)
        self.num_inputs, self.num_hiddens, self.latent_dim = check_dense_sizes(
            num_inputs, num_hiddens, latent_dim
        )

        self.flatten = layers.Flatten()  # (B, ...) -> (B, num_inputs)
        self.encoder = keras.Sequential(
            dense_stack(self.num_hiddens) or [layers.Identity()], name="encoder"
        )  # (B, num_inputs) -> (B, width)
        self.to_mu = layers.Dense(self.latent_dim, name="to_mu")  # (B, width) -> (B, latent_dim)
        self.to_logvar = layers.Dense(self.latent_dim, name="to_logvar")
        self.decoder = keras.Sequential(
            [*dense_stack(self.num_hiddens[::-1]), layers.Dense(self.num_inputs)],
            name="decoder",
        )  # (B, latent_dim) -> (B, num_inputs) logits
        # Build every layer now, as PyTorch does, so the weights exist before the first call.
        self.encoder.build((None, self.num_inputs))
        self.to_mu.build((None, self.num_hiddens[-1] if self.num_hiddens else self.num_inputs))
        self.to_logvar.build((None, self.num_hiddens[-1] if self.num_hiddens else self.num_inputs))
        self.decoder.build((None, self.latent_dim))
        self.built = True
        self.seed_generator = keras.random.SeedGenerator()
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Return ``(mu, logvar)`` of ``q(z|x)``, each ``(B, latent_dim)``."""
        if len(x.shape) < 2 or math.prod(x.shape[1:]) != self.num_inputs:
            raise ValueError(
                f"VAE expects {self.num_inputs} values per example, "
                f"got input of shape {tuple(x.shape)}"
            )
        h = self.encoder(self.flatten(x))
        return self.to_mu(h), self.to_logvar(h)

    def reparameterize(self, mu: Tensor, logvar: Tensor) -> Tensor:
        """Draw ``z = mu + exp(logvar / 2) * eps``, ``eps ~ N(0, I)`` (model's seed generator)."""
        eps = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return mu + ops.exp(0.5 * logvar) * eps

    def decode(self, z: Tensor) -> Tensor:
        """Return the Bernoulli logits ``(B, num_inputs)`` of ``p(x|z)`` (sigmoid gives pixels)."""
        if len(z.shape) != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"decode expects codes of shape (B, {self.latent_dim}), got {tuple(z.shape)}"
            )
        return self.decoder(z)

    def call(self, x: Tensor, training: bool | None = None) -> tuple[Tensor, Tensor, Tensor]:
        """Return ``(logits, mu, logvar)``; ``z`` is drawn afresh on every call."""
        x = ops.convert_to_tensor(x, dtype=self.compute_dtype)
        mu, logvar = self.encode(x)  # (B, ...) -> 2 x (B, latent_dim)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar  # (B, latent_dim) -> (B, num_inputs)

    # ------------------------------------------------------------ the custom training step

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def _report(self, loss: Tensor, reconstruction: Tensor, kl: Tensor) -> dict[str, Tensor]:
        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {metric.name: metric.result() for metric in self.metrics}

    def train_step(self, data: Any) -> dict[str, Tensor]:
        """One optimiser step on the negative ELBO of a batch (labels, if given, are ignored)."""
        import tensorflow as tf

        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            loss, reconstruction, kl = elbo_loss(x, *self(x, training=True))
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights, strict=True))
        return self._report(loss, reconstruction, kl)

    def test_step(self, data: Any) -> dict[str, Tensor]:
        """The negative ELBO of a batch, without a step (``evaluate`` and ``validation_data``)."""
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self._report(*elbo_loss(x, *self(x, training=False)))
