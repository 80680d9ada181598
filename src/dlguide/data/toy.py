"""Toy data generated on the fly: the 2-D ring of Gaussians that GAN papers train on first.

A mixture of ``modes`` Gaussians with centres evenly spaced on a circle is the classic target for
a first GAN: it is cheap, can be plotted, and shows *mode collapse* (a generator that covers only
some of the rings' blobs) at a glance. It was popularised by Metz et al. (2016), "Unrolled
Generative Adversarial Networks", https://arxiv.org/abs/1611.02163.
"""

from __future__ import annotations

import numpy as np

from dlguide._checks import check_float, check_int, check_positive_int


def make_ring_data(
    n: int,
    *,
    modes: int = 8,
    radius: float = 2.0,
    std: float = 0.05,
    seed: int = 0,
) -> np.ndarray:
    """Draw ``n`` points from a mixture of ``modes`` Gaussians evenly spaced on a circle.

    Mode ``j`` is centred at ``radius * (cos(2*pi*j/modes), sin(2*pi*j/modes))`` and every mode
    has the same weight and the same isotropic standard deviation ``std``. Each point picks its
    mode uniformly at random.

    Args:
        n: Number of points, >= 1.
        modes: Number of Gaussians on the ring, >= 1.
        radius: Radius of the ring, > 0.
        std: Standard deviation of each Gaussian, >= 0 (0 puts every point on a centre).
        seed: Seed of NumPy's generator, a non-negative int.

    Returns:
        An array of shape ``(n, 2)`` and dtype ``float32``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range.

    Example:
        >>> from dlguide.data import make_ring_data
        >>> points = make_ring_data(1000, modes=8)
        >>> points.shape, points.dtype
        ((1000, 2), dtype('float32'))
    """
    n = check_positive_int("n", n)
    modes = check_positive_int("modes", modes)
    radius = check_float("radius", radius, minimum=0.0, exclusive_minimum=True)
    std = check_float("std", std, minimum=0.0)
    seed = check_int("seed", seed, minimum=0)

    rng = np.random.default_rng(seed)
    angles = 2.0 * np.pi * np.arange(modes) / modes  # (modes,)
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (modes, 2)
    which = rng.integers(modes, size=n)  # (n,) the mode of each point
    points = centres[which] + std * rng.standard_normal((n, 2))  # (n, 2)
    return points.astype(np.float32)
