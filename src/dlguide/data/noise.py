"""Corrupt inputs for denoising autoencoders (Vincent et al., 2008).

Vincent, Larochelle, Bengio & Manzagol (2008), "Extracting and composing robust features with
denoising autoencoders", ICML, https://doi.org/10.1145/1390156.1390294. A denoising autoencoder is
trained to map a corrupted input back to the clean one; :func:`add_noise` makes the corrupted
copy. NumPy only, so the PyTorch and the Keras autoencoders share it.
"""

from __future__ import annotations

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_float, check_int


def add_noise(x: ArrayLike, *, std: float = 0.3, seed: int = 0) -> np.ndarray:
    """Return ``x`` plus Gaussian noise, clipped back to ``[0, 1]``.

    The same ``seed`` always gives the same noise, so a clean image and its noisy copy can be
    regenerated exactly. ``x`` itself is not modified.

    Args:
        x: Array-like of values in ``[0, 1]`` (images scaled to [0, 1]), any shape.
        std: Standard deviation of the additive Gaussian noise, >= 0.
        seed: Seed of NumPy's generator, a non-negative int.

    Returns:
        A new array with the shape of ``x``, dtype ``float32``, every value in ``[0, 1]``.

    Raises:
        TypeError: If ``x`` is not numeric or ``std``/``seed`` have the wrong type.
        ValueError: If ``x`` holds NaN/inf or ``std``/``seed`` are negative.

    Example:
        >>> import numpy as np
        >>> from dlguide.data import add_noise
        >>> noisy = add_noise(np.full((2, 8, 8), 0.5), std=0.3, seed=0)
        >>> noisy.shape, float(noisy.min()) >= 0.0, float(noisy.max()) <= 1.0
        ((2, 8, 8), True, True)
    """
    x = check_array("x", x)
    std = check_float("std", std, minimum=0.0)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    noisy = x.astype(np.float32) + std * rng.standard_normal(x.shape).astype(np.float32)
    return np.clip(noisy, 0.0, 1.0)
