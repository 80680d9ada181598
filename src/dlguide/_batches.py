"""The order of global batches of the Keras data-parallel twin (NumPy only).

:mod:`dlguide.keras.distributed` uses :func:`global_batches` so that its single-device run and
its ``MirroredStrategy`` run see the same examples in the same order, which is what lets their
weights be compared. :mod:`dlguide.torch.distributed` re-exports it, but its own runs shuffle
with ``torch.utils.data.distributed.DistributedSampler``, as PyTorch code usually does.
"""

from __future__ import annotations

import numpy as np

from dlguide._checks import check_int, check_positive_int


def global_batches(
    num_examples: int, *, global_batch_size: int, epochs: int, seed: int = 0
) -> list[np.ndarray]:
    """Return the index arrays of every global batch, epoch after epoch.

    Each epoch is a fresh permutation of ``range(num_examples)`` drawn from a generator seeded by
    ``seed``, cut into batches of exactly ``global_batch_size``; the incomplete last batch is
    dropped so that every batch splits evenly across replicas or processes.

    Args:
        num_examples: Examples in the training set, >= ``global_batch_size``.
        global_batch_size: Examples per optimizer step summed over all replicas or processes, >= 1.
        epochs: Passes over the data, >= 1.
        seed: Seed of the permutations, >= 0.

    Returns:
        A list of ``epochs * (num_examples // global_batch_size)`` int64 arrays of shape
        ``(global_batch_size,)``.

    Raises:
        ValueError: If ``num_examples < global_batch_size`` or a count is not positive.

    Example:
        >>> from dlguide._batches import global_batches
        >>> [b.tolist() for b in global_batches(5, global_batch_size=2, epochs=1)]
        [[2, 4], [3, 0]]
    """
    num_examples = check_positive_int("num_examples", num_examples)
    global_batch_size = check_positive_int("global_batch_size", global_batch_size)
    epochs = check_positive_int("epochs", epochs)
    seed = check_int("seed", seed, minimum=0)
    if num_examples < global_batch_size:
        raise ValueError(
            f"num_examples must be >= global_batch_size ({global_batch_size}), got {num_examples}"
        )
    rng = np.random.default_rng(seed)
    steps = num_examples // global_batch_size
    batches = []
    for _ in range(epochs):
        order = rng.permutation(num_examples)
        batches += [
            order[i * global_batch_size : (i + 1) * global_batch_size] for i in range(steps)
        ]
    return batches
