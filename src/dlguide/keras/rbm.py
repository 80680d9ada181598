"""Restricted Boltzmann machines and deep belief nets, the Keras twins of :mod:`dlguide.torch.rbm`.

Hinton (2002), "Training products of experts by minimizing contrastive divergence", Neural
Computation 14(8):1771-1800, https://doi.org/10.1162/089976602760128018. Hinton, Osindero & Teh
(2006), "A fast learning algorithm for deep belief nets", Neural Computation 18(7):1527-1554,
https://doi.org/10.1162/neco.2006.18.7.1527.

The same model written with ``keras.ops`` and three ``keras.Variable`` objects inside a
``keras.Model`` subclass. ``Model.fit`` is not how an RBM learns: the lesson is a custom training
step, :meth:`RBM.contrastive_divergence`, which computes the CD-k update by hand and assigns it to
the variables (no gradient tape). ``call`` is :meth:`RBM.transform`, so the model still works as
a feature extractor and saves and loads like any Keras model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from dlguide._checks import (
    check_float,
    check_int,
    check_positive_int,
)
from dlguide._rbm import check_layer_sizes, check_pretrain
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor
from dlguide.keras.mlp import MLP

# ---------------------------------------------------------------- helpers


def _seed_generator(
    seed: int | None, default: keras.random.SeedGenerator
) -> keras.random.SeedGenerator:
    """A new generator seeded with ``seed``, or the model's own one for ``None``."""
    if seed is None:
        return default
    return keras.random.SeedGenerator(check_int("seed", seed, minimum=0))


def _bernoulli(p: Tensor, seed_generator: keras.random.SeedGenerator) -> Tensor:
    """Binary samples with ``P(1) = p``."""
    return ops.cast(keras.random.uniform(ops.shape(p), seed=seed_generator) < p, p.dtype)


# ---------------------------------------------------------------- the RBM


@keras.saving.register_keras_serializable(package="dlguide")
class RBM(ConstructorConfig, keras.Model):
    """A Bernoulli-Bernoulli restricted Boltzmann machine.

    Variables: ``weight`` ``(num_visible, num_hidden)`` drawn from ``N(0, 0.01^2)``,
    ``visible_bias`` and ``hidden_bias`` starting at zero. ``call`` is :meth:`transform`. Methods
    that sample take ``seed``: an int for a reproducible draw, ``None`` for the model's own seed
    generator (seeded by ``keras.utils.set_random_seed``).

    Args:
        num_visible: Visible units (64 for 8x8 images with values in [0, 1]).
        num_hidden: Hidden units.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import RBM
        >>> rbm, v = RBM(num_visible=64, num_hidden=32), np.random.rand(10, 64).round()
        >>> error = rbm.contrastive_divergence(v, k=1, lr=0.1, seed=0)
        >>> rbm.transform(v).shape
        TensorShape([10, 32])
    """

    def __init__(self, *, num_visible: int = 64, num_hidden: int = 64, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.num_visible = check_positive_int("num_visible", num_visible)
        self.num_hidden = check_positive_int("num_hidden", num_hidden)
        self.weight = keras.Variable(
            keras.initializers.RandomNormal(stddev=0.01),
            shape=(self.num_visible, self.num_hidden),
            name="weight",
        )
        self.visible_bias = keras.Variable(
            keras.initializers.Zeros(), shape=(self.num_visible,), name="visible_bias"
        )
        self.hidden_bias = keras.Variable(
            keras.initializers.Zeros(), shape=(self.num_hidden,), name="hidden_bias"
        )
        self.seed_generator = keras.random.SeedGenerator()
        self.built = True  # the variables exist already

    def _check(self, v: Tensor, name: str = "v", width: int | None = None) -> Tensor:
        width = self.num_visible if width is None else width
        v = ops.convert_to_tensor(v, dtype="float32")
        if len(v.shape) != 2 or v.shape[1] != width:
            raise ValueError(f"{name} must have shape (B, {width}), got {tuple(v.shape)}")
        return v

    def _sample_hidden(
        self, v: Tensor, seed_generator: keras.random.SeedGenerator
    ) -> tuple[Tensor, Tensor]:
        p_h = ops.sigmoid(ops.matmul(v, self.weight) + self.hidden_bias)  # (B, V) -> (B, H)
        return p_h, _bernoulli(p_h, seed_generator)

    def _sample_visible(
        self, h: Tensor, seed_generator: keras.random.SeedGenerator
    ) -> tuple[Tensor, Tensor]:
        p_v = ops.sigmoid(
            ops.matmul(h, ops.transpose(self.weight)) + self.visible_bias
        )  # (B, H) -> (B, V)
        return p_v, _bernoulli(p_v, seed_generator)

    def sample_hidden(self, v: Tensor, *, seed: int | None = None) -> tuple[Tensor, Tensor]:
        """Return ``(p(h=1|v), h)``: probabilities and a binary sample, each ``(B, num_hidden)``."""
        return self._sample_hidden(self._check(v), _seed_generator(seed, self.seed_generator))

    def sample_visible(self, h: Tensor, *, seed: int | None = None) -> tuple[Tensor, Tensor]:
        """``(p(v=1|h), v)``: probabilities and a binary sample, both ``(B, num_visible)``."""
        h = self._check(h, "h", self.num_hidden)
        return self._sample_visible(h, _seed_generator(seed, self.seed_generator))

    def free_energy(self, v: Tensor) -> Tensor:
        """The free energy ``F(v) = -v.b_v - sum_j softplus(v W + b_h)_j``, shape ``(B,)``.

        ``p(v) = exp(-F(v)) / Z``: lower free energy means more probable.
        """
        v = self._check(v)
        hidden = ops.softplus(ops.matmul(v, self.weight) + self.hidden_bias)  # (B, H)
        return -ops.matmul(v, self.visible_bias) - ops.sum(hidden, axis=1)

    def transform(self, v: Tensor) -> Tensor:
        """Hidden probabilities ``p(h=1|v)``, shape ``(B, num_hidden)``: the RBM's features."""
        v = self._check(v)
        return ops.sigmoid(ops.matmul(v, self.weight) + self.hidden_bias)  # (B, V) -> (B, H)

    def call(self, v: Tensor) -> Tensor:
        return self.transform(v)

    def contrastive_divergence(
        self, v: Tensor, *, k: int = 1, lr: float = 0.1, seed: int | None = None
    ) -> float:
        """One CD-k update on a batch, written out by hand; returns the reconstruction error.

        Positive phase: ``p(h|v0)`` on the data. Negative phase: ``k`` steps of Gibbs sampling
        ``h -> v -> h`` from there. Update, averaged over the batch:
        ``W += lr * (v0^T p(h|v0) - vk^T p(h|vk)) / B``, ``b_v += lr * mean(v0 - vk)``,
        ``b_h += lr * mean(p(h|v0) - p(h|vk))``.

        Args:
            v: A batch ``(B, num_visible)`` with values in [0, 1].
            k: Gibbs steps, >= 1.
            lr: Learning rate, > 0.
            seed: An int for a reproducible chain, or ``None`` for the model's seed generator.

        Returns:
            The mean squared error between ``v`` and ``p(v|h0)`` (before the update).
        """
        v0 = self._check(v)
        k = check_positive_int("k", k)
        lr = check_float("lr", lr, minimum=0.0, exclusive_minimum=True)
        seed_generator = _seed_generator(seed, self.seed_generator)

        p_h0, h = self._sample_hidden(v0, seed_generator)  # positive phase, (B, H)
        for step in range(k):  # Gibbs chain h -> v -> h
            p_v, v_k = self._sample_visible(h, seed_generator)
            if step == 0:
                error = float(ops.mean(ops.square(p_v - v0)))
            p_hk, h = self._sample_hidden(v_k, seed_generator)

        batch = float(v0.shape[0])
        positive = ops.matmul(ops.transpose(v0), p_h0)  # (V, B) @ (B, H) -> (V, H)
        negative = ops.matmul(ops.transpose(v_k), p_hk)
        self.weight.assign_add(lr * (positive - negative) / batch)
        self.visible_bias.assign_add(lr * ops.mean(v0 - v_k, axis=0))
        self.hidden_bias.assign_add(lr * ops.mean(p_h0 - p_hk, axis=0))
        return error


# ---------------------------------------------------------------- the deep belief net


@keras.saving.register_keras_serializable(package="dlguide")
class DeepBeliefNet(ConstructorConfig, keras.Model):
    """A stack of RBMs, ``layer_sizes[i] -> layer_sizes[i + 1]``, pretrained greedily.

    ``call`` passes the hidden probabilities up the stack: ``(B, layer_sizes[0]) ->
    (B, layer_sizes[-1])``.

    Args:
        layer_sizes: Visible units of the first RBM, then the hidden units of each RBM; at
            least two entries.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import DeepBeliefNet
        >>> dbn = DeepBeliefNet(layer_sizes=(64, 32, 16))
        >>> history = dbn.pretrain(np.random.rand(100, 64), epochs=2, lr=0.1, batch_size=20, seed=0)
        >>> len(history), len(history[0])
        (2, 2)
        >>> classifier = dbn.to_classifier(10)
    """

    def __init__(self, *, layer_sizes: Sequence[int] = (64, 128, 64), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.layer_sizes = check_layer_sizes(layer_sizes)
        self.rbms = [
            RBM(num_visible=a, num_hidden=b, name=f"rbm_{i}")
            for i, (a, b) in enumerate(zip(self.layer_sizes, self.layer_sizes[1:], strict=False))
        ]
        self.built = True

    def call(self, v: Tensor) -> Tensor:
        for rbm in self.rbms:
            v = rbm.transform(v)  # (B, n_i) -> (B, n_{i+1})
        return v

    def pretrain(
        self,
        x: Tensor,
        *,
        epochs: int = 5,
        lr: float = 0.1,
        batch_size: int = 32,
        seed: int = 0,
        k: int = 1,
    ) -> list[list[float]]:
        """Greedy layer-wise CD-k: train RBM 0 on ``x``, then RBM 1 on RBM 0's features, ...

        Args:
            x: Training data ``(N, layer_sizes[0])`` with values in [0, 1].
            epochs: Passes over the data per RBM, >= 1.
            lr: Learning rate of contrastive divergence, > 0.
            batch_size: Examples per CD update, >= 1.
            seed: Seeds the shuffling and the Gibbs chains, a non-negative int.
            k: Gibbs steps per update, >= 1.

        Returns:
            One list per RBM of the mean reconstruction error of each epoch.

        Raises:
            ValueError: If ``x`` has the wrong shape or values outside [0, 1].
        """
        x, epochs, batch_size, rng = check_pretrain(
            x, self.layer_sizes[0], epochs, batch_size, seed
        )

        data = x.astype(np.float32)
        history = []
        for rbm in self.rbms:
            errors = []
            for _ in range(epochs):
                order = rng.permutation(len(data))
                total = 0.0
                for start in range(0, len(data), batch_size):
                    batch = data[order[start : start + batch_size]]
                    chain_seed = int(rng.integers(2**31))
                    total += rbm.contrastive_divergence(batch, k=k, lr=lr, seed=chain_seed) * len(
                        batch
                    )
                errors.append(total / len(data))
            history.append(errors)
            data = ops.convert_to_numpy(
                rbm.transform(data)
            )  # (N, n_i) -> (N, n_{i+1}): the next RBM's data
        return history

    def to_classifier(self, num_classes: int) -> MLP:
        """A :class:`~dlguide.keras.MLP` with sigmoid units initialised from the RBMs.

        Hidden layer ``dense_i`` gets ``kernel = rbms[i].weight`` (Keras stores ``(in, out)``, the
        RBM's layout) and ``bias = rbms[i].hidden_bias``, so the output of the layer named
        ``"features"`` equals ``dbn(x)``; ``"head"`` is a new dense layer to ``num_classes``
        logits. The MLP is a copy: fine-tuning it leaves the DBN as is.

        Args:
            num_classes: Number of classes, >= 1.
        """
        num_classes = check_positive_int("num_classes", num_classes)
        model = MLP(
            num_inputs=self.layer_sizes[0],
            num_outputs=num_classes,
            num_hiddens=self.layer_sizes[1:],
            activation="sigmoid",
        )
        for i, rbm in enumerate(self.rbms):
            dense = model.get_layer(f"dense_{i}")
            dense.kernel.assign(rbm.weight)
            dense.bias.assign(rbm.hidden_bias)
        return model
