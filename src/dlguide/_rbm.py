"""Framework-free pieces of the RBM twins, shared by :mod:`dlguide.torch.rbm` and
:mod:`dlguide.keras.rbm`: the checks of a deep belief net's layer sizes and of the arguments of
its greedy pretraining."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlguide._checks import (
    ArrayLike,
    check_array,
    check_int,
    check_int_sequence,
    check_positive_int,
)


def check_layer_sizes(layer_sizes: Sequence[int]) -> tuple[int, ...]:
    """Return ``layer_sizes`` as at least 2 ints >= 1: the visible layer, then each hidden one."""
    layer_sizes = check_int_sequence("layer_sizes", layer_sizes, minimum=1)
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least 2 entries (visible, hidden), got {layer_sizes}"
        )
    return layer_sizes


def check_pretrain(
    x: ArrayLike, num_visible: int, epochs: int, batch_size: int, seed: int
) -> tuple[np.ndarray, int, int, np.random.Generator]:
    """Check the arguments of ``DeepBeliefNet.pretrain``.

    Returns ``(x, epochs, batch_size, rng)``: ``x`` of shape ``(N, num_visible)``, ``N >= 1``,
    with values in [0, 1], and a NumPy generator seeded by ``seed`` for the shuffling and the
    seeds of the Gibbs chains.
    """
    x = check_array("x", x, ndim=2)
    if x.shape[1] != num_visible or len(x) == 0:
        raise ValueError(f"x must have shape (N, {num_visible}) with N >= 1, got {x.shape}")
    if x.min() < 0 or x.max() > 1:
        raise ValueError(f"x must hold values in [0, 1], got [{x.min()}, {x.max()}]")
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    return x, epochs, batch_size, rng
