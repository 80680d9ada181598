"""Framework-free pieces of the data-parallel twins, shared by :mod:`dlguide.torch.distributed`
and :mod:`dlguide.keras.distributed`: the checks of the arguments and of the data, and of the
folder the worker processes share."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dlguide._checks import (
    ArrayLike,
    check_array,
    check_float,
    check_int,
    check_int_sequence,
    check_positive_int,
)


def check_settings(
    x: ArrayLike,
    num_outputs: int,
    num_hiddens: Sequence[int],
    global_batch_size: int,
    epochs: int,
    lr: float,
    seed: int,
    world_size: int,
) -> dict[str, Any]:
    """Validate the shared arguments and return them as a JSON-ready dict.

    ``input_shape`` is the shape of one example of ``x`` and ``num_inputs`` its size once
    flattened (0 if ``x`` has no example axis; :func:`check_data` rejects that).
    """
    shape = np.shape(x)
    return {
        "input_shape": [int(d) for d in shape[1:]],
        "num_inputs": int(np.prod(shape[1:])) if len(shape) > 1 else 0,
        "num_outputs": check_positive_int("num_outputs", num_outputs),
        "num_hiddens": list(check_int_sequence("num_hiddens", num_hiddens)),
        "global_batch_size": check_positive_int("global_batch_size", global_batch_size),
        "epochs": check_positive_int("epochs", epochs),
        "lr": check_float("lr", lr, minimum=0.0, exclusive_minimum=True),
        "seed": check_int("seed", seed, minimum=0),
        "world_size": check_positive_int("world_size", world_size),
    }


def check_data(
    x: ArrayLike, y: ArrayLike, global_batch_size: int, world_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``x`` as contiguous float32 ``(N, ...)`` and ``y`` as int64 ``(N,)`` class labels.

    Raises a ValueError unless ``world_size`` divides ``global_batch_size`` and ``x`` holds at
    least one global batch.
    """
    x = check_array("x", x).astype(np.float32)
    y = check_array("y", y, ndim=1)
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
    if x.ndim < 2 or len(x) != len(y):
        raise ValueError(f"x must have shape (N, ...) with N = len(y) = {len(y)}, got {x.shape}")
    if global_batch_size % world_size:
        raise ValueError(
            f"global_batch_size ({global_batch_size}) must be divisible by "
            f"world_size ({world_size})"
        )
    if len(x) < global_batch_size:
        raise ValueError(
            f"x must hold at least global_batch_size ({global_batch_size}) examples, got {len(x)}"
        )
    return np.ascontiguousarray(x), y.astype(np.int64)


def check_out_dir(out_dir: str | os.PathLike) -> Path:
    """Return ``out_dir`` as a Path, or raise a ValueError if it is not an existing folder."""
    out = Path(os.fspath(out_dir))
    if not out.is_dir():
        raise ValueError(f"out_dir must be an existing folder, got {str(out)!r}")
    return out
