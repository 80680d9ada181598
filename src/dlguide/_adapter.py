"""Framework-free part of the data adapters :func:`dlguide.torch.to_loader` and
:func:`dlguide.keras.to_dataset`: the checks of the arrays and of the batching arguments, and the
dtypes the frameworks receive."""

from __future__ import annotations

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_int, check_positive_int


def check_adapter(
    x: ArrayLike, y: ArrayLike | None, batch_size: int, seed: int
) -> tuple[np.ndarray, np.ndarray | None, int, int]:
    """Return ``(x, y, batch_size, seed)`` once checked, the arrays contiguous.

    Integer inputs become ``int64`` (token ids), others ``float32``; integer or bool targets
    become ``int64`` (class labels), others ``float32``. ``y`` stays ``None`` when not given.
    """
    batch_size = check_positive_int("batch_size", batch_size)
    seed = check_int("seed", seed, minimum=0)
    x = check_array("x", x)
    if x.ndim == 0 or len(x) == 0:
        raise ValueError(f"x must have at least one example, got shape {x.shape}")
    x = np.ascontiguousarray(
        x, dtype=np.int64 if np.issubdtype(x.dtype, np.integer) else np.float32
    )
    if y is None:
        return x, None, batch_size, seed
    y = check_array("y", y)
    if y.ndim == 0 or len(y) != len(x):
        raise ValueError(f"y must have one target per example ({len(x)}), got shape {y.shape}")
    integer = np.issubdtype(y.dtype, np.integer) or y.dtype == np.bool_
    return x, np.ascontiguousarray(y, dtype=np.int64 if integer else np.float32), batch_size, seed
