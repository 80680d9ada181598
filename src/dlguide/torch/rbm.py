"""Restricted Boltzmann machines and deep belief nets, trained by contrastive divergence.

Hinton (2002), "Training products of experts by minimizing contrastive divergence", Neural
Computation 14(8):1771-1800, https://doi.org/10.1162/089976602760128018. Hinton, Osindero & Teh
(2006), "A fast learning algorithm for deep belief nets", Neural Computation 18(7):1527-1554,
https://doi.org/10.1162/neco.2006.18.7.1527.

An RBM has binary visible units ``v`` and binary hidden units ``h`` with energy
``E(v, h) = -v.b_v - h.b_h - v W h``; given one layer the units of the other are independent,
``p(h=1|v) = sigmoid(v W + b_h)`` and ``p(v=1|h) = sigmoid(h W^T + b_v)``. The lesson here is
the learning rule written out by hand: :meth:`RBM.contrastive_divergence` runs ``k`` steps of
Gibbs sampling from the data and moves the weights by ``<v h>_data - <v h>_model``, no autograd
involved. (The same gradient is what autograd gives for the *free-energy surrogate*
``mean(F(v_data)) - mean(F(v_model))`` with the model samples held fixed.)

A :class:`DeepBeliefNet` stacks RBMs and pretrains them greedily, layer by layer, each on the
hidden probabilities of the one below; :meth:`DeepBeliefNet.to_classifier` turns the stack into
an MLP classifier initialised with the RBM weights, ready for fine-tuning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import torch
from torch import nn
from torch.nn import functional as F

from dlguide._checks import (
    ArrayLike,
    check_float,
    check_int,
    check_positive_int,
)
from dlguide._rbm import check_layer_sizes, check_pretrain
from dlguide.torch.mlp import MLP

# ---------------------------------------------------------------- helpers


def _generator(seed: int | None, device: torch.device) -> torch.Generator | None:
    """A generator seeded with ``seed``, or ``None`` (PyTorch's global generator)."""
    if seed is None:
        return None
    seed = check_int("seed", seed, minimum=0)
    return torch.Generator(device=device).manual_seed(seed)


# ---------------------------------------------------------------- the RBM


class RBM(nn.Module):
    """A Bernoulli-Bernoulli restricted Boltzmann machine.

    Parameters: ``weight`` ``(num_visible, num_hidden)`` drawn from ``N(0, 0.01^2)``,
    ``visible_bias`` and ``hidden_bias`` starting at zero. ``forward`` is :meth:`transform`.
    Methods that sample take ``seed``: an int for a reproducible draw, ``None`` for PyTorch's
    global generator.

    Args:
        num_visible: Visible units (64 for 8x8 images with values in [0, 1]).
        num_hidden: Hidden units.

    Example:
        >>> import torch
        >>> from dlguide.torch import RBM
        >>> rbm, v = RBM(num_visible=64, num_hidden=32), torch.rand(10, 64).round()
        >>> error = rbm.contrastive_divergence(v, k=1, lr=0.1, seed=0)
        >>> rbm.transform(v).shape
        torch.Size([10, 32])
    """

    def __init__(self, *, num_visible: int = 64, num_hidden: int = 64) -> None:
        super().__init__()
        self.num_visible = check_positive_int("num_visible", num_visible)
        self.num_hidden = check_positive_int("num_hidden", num_hidden)
        self.weight = nn.Parameter(0.01 * torch.randn(self.num_visible, self.num_hidden))
        self.visible_bias = nn.Parameter(torch.zeros(self.num_visible))
        self.hidden_bias = nn.Parameter(torch.zeros(self.num_hidden))

    def _check(self, v: ArrayLike, name: str = "v", width: int | None = None) -> torch.Tensor:
        width = self.num_visible if width is None else width
        v = torch.as_tensor(v, dtype=torch.float32, device=self.weight.device)
        if v.ndim != 2 or v.shape[1] != width:
            raise ValueError(f"{name} must have shape (B, {width}), got {tuple(v.shape)}")
        return v

    def _sample_hidden(
        self, v: torch.Tensor, generator: torch.Generator | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        p_h = torch.sigmoid(v @ self.weight + self.hidden_bias)  # (B, V) -> (B, H)
        return p_h, torch.bernoulli(p_h, generator=generator)

    def _sample_visible(
        self, h: torch.Tensor, generator: torch.Generator | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        p_v = torch.sigmoid(h @ self.weight.T + self.visible_bias)  # (B, H) -> (B, V)
        return p_v, torch.bernoulli(p_v, generator=generator)

    def sample_hidden(
        self, v: ArrayLike, *, seed: int | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``(p(h=1|v), h)``: probabilities and a binary sample, each ``(B, num_hidden)``."""
        v = self._check(v)
        return self._sample_hidden(v, _generator(seed, v.device))

    def sample_visible(
        self, h: ArrayLike, *, seed: int | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(p(v=1|h), v)``: probabilities and a binary sample, both ``(B, num_visible)``."""
        h = self._check(h, "h", self.num_hidden)
        return self._sample_visible(h, _generator(seed, h.device))

    def free_energy(self, v: ArrayLike) -> torch.Tensor:
        """The free energy ``F(v) = -v.b_v - sum_j softplus(v W + b_h)_j``, shape ``(B,)``.

        ``p(v) = exp(-F(v)) / Z``: lower free energy means more probable.
        """
        v = self._check(v)
        return -(v @ self.visible_bias) - F.softplus(v @ self.weight + self.hidden_bias).sum(dim=1)

    def transform(self, v: ArrayLike) -> torch.Tensor:
        """Hidden probabilities ``p(h=1|v)``, shape ``(B, num_hidden)``: the RBM's features."""
        v = self._check(v)
        return torch.sigmoid(v @ self.weight + self.hidden_bias)  # (B, V) -> (B, H)

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        return self.transform(v)

    @torch.no_grad()
    def contrastive_divergence(
        self, v: ArrayLike, *, k: int = 1, lr: float = 0.1, seed: int | None = None
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
            seed: An int for a reproducible chain, or ``None`` for PyTorch's global generator.

        Returns:
            The mean squared error between ``v`` and ``p(v|h0)`` (before the update).
        """
        v0 = self._check(v)
        k = check_positive_int("k", k)
        lr = check_float("lr", lr, minimum=0.0, exclusive_minimum=True)
        generator = _generator(seed, v0.device)

        p_h0, h = self._sample_hidden(v0, generator)  # positive phase, (B, H)
        for step in range(k):  # Gibbs chain h -> v -> h
            p_v, v_k = self._sample_visible(h, generator)
            if step == 0:
                error = float(((p_v - v0) ** 2).mean())
            p_hk, h = self._sample_hidden(v_k, generator)

        batch = len(v0)
        self.weight.add_(lr * (v0.T @ p_h0 - v_k.T @ p_hk) / batch)  # (V, B) @ (B, H) -> (V, H)
        self.visible_bias.add_(lr * (v0 - v_k).mean(dim=0))
        self.hidden_bias.add_(lr * (p_h0 - p_hk).mean(dim=0))
        return error


# ---------------------------------------------------------------- the deep belief net


class DeepBeliefNet(nn.Module):
    """A stack of RBMs, ``layer_sizes[i] -> layer_sizes[i + 1]``, pretrained greedily.

    ``forward`` passes the hidden probabilities up the stack: ``(B, layer_sizes[0]) ->
    (B, layer_sizes[-1])``.

    Args:
        layer_sizes: Visible units of the first RBM, then the hidden units of each RBM; at
            least two entries.

    Example:
        >>> import numpy as np
        >>> from dlguide.torch import DeepBeliefNet
        >>> dbn = DeepBeliefNet(layer_sizes=(64, 32, 16))
        >>> history = dbn.pretrain(np.random.rand(100, 64), epochs=2, lr=0.1, batch_size=20, seed=0)
        >>> len(history), len(history[0])
        (2, 2)
        >>> classifier = dbn.to_classifier(10)
    """

    def __init__(self, *, layer_sizes: Sequence[int] = (64, 128, 64)) -> None:
        super().__init__()
        self.layer_sizes = check_layer_sizes(layer_sizes)
        self.rbms = nn.ModuleList(
            RBM(num_visible=a, num_hidden=b)
            for a, b in zip(self.layer_sizes, self.layer_sizes[1:], strict=False)
        )

    def _stack(self) -> list[RBM]:
        """The RBMs, first to last (to a type checker, an ``nn.ModuleList`` holds any modules)."""
        return [cast(RBM, rbm) for rbm in self.rbms]

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        for rbm in self._stack():
            v = rbm.transform(v)  # (B, n_i) -> (B, n_{i+1})
        return v

    def pretrain(
        self,
        x: ArrayLike,
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

        data = torch.as_tensor(x, dtype=torch.float32, device=self._stack()[0].weight.device)
        history = []
        for rbm in self._stack():
            errors = []
            for _ in range(epochs):
                order = torch.as_tensor(rng.permutation(len(data)), device=data.device)
                total = 0.0
                for start in range(0, len(data), batch_size):
                    batch = data[order[start : start + batch_size]]
                    chain_seed = int(rng.integers(2**31))
                    total += rbm.contrastive_divergence(batch, k=k, lr=lr, seed=chain_seed) * len(
                        batch
                    )
                errors.append(total / len(data))
            history.append(errors)
            with torch.no_grad():
                data = rbm.transform(data)  # (N, n_i) -> (N, n_{i+1}): the next RBM's data
        return history

    def to_classifier(self, num_classes: int) -> MLP:
        """An :class:`~dlguide.torch.MLP` with sigmoid units initialised from the RBMs.

        Hidden layer ``i`` gets ``weight = rbms[i].weight.T`` and ``bias = rbms[i].hidden_bias``,
        so ``classifier.features(x)`` equals ``dbn(x)``; ``classifier.head`` is a new linear
        layer to ``num_classes`` logits. The MLP is a copy: fine-tuning it leaves the DBN as is.

        Args:
            num_classes: Number of classes, >= 1.
        """
        num_classes = check_positive_int("num_classes", num_classes)
        model = MLP(
            num_inputs=self.layer_sizes[0],
            num_outputs=num_classes,
            num_hiddens=self.layer_sizes[1:],
            activation="sigmoid",
        ).to(self._stack()[0].weight.device)
        linears = [layer for layer in model.features if isinstance(layer, nn.Linear)]
        with torch.no_grad():
            for linear, rbm in zip(linears, self._stack(), strict=True):
                linear.weight.copy_(rbm.weight.T)  # nn.Linear stores (out, in) = (H, V)
                linear.bias.copy_(rbm.hidden_bias)
        return model
