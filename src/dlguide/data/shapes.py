"""Synthetic segmentation data: noisy grey images of circles, rectangles and triangles.

Generated with NumPy alone, so it needs no download and no image library, and any number of
images can be drawn. Each image has a random grey background, 1 to ``max_shapes`` filled shapes
of random size, position and brightness (always brighter than the background), and Gaussian
noise; the mask marks the pixels covered by any shape. A U-Net learns to find the shapes
despite the noise and the varying contrast.
"""

from __future__ import annotations

import numpy as np

from dlguide._checks import check_int, check_positive_int
from dlguide.data._types import Split

SHAPES = ("circle", "rectangle", "triangle")


def _triangle(yy: np.ndarray, xx: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Pixels inside the triangle with ``corners`` (3, 2) as (row, col): same side of all edges."""
    signs = []
    for i in range(3):
        (y0, x0), (y1, x1) = corners[i], corners[(i + 1) % 3]
        signs.append((x1 - x0) * (yy - y0) - (y1 - y0) * (xx - x0))
    stacked = np.stack(signs)
    return np.all(stacked >= 0, axis=0) | np.all(stacked <= 0, axis=0)


def _generate(
    n: int, image_size: int, max_shapes: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    images = np.empty((n, image_size, image_size), dtype=np.float32)
    masks = np.zeros((n, image_size, image_size), dtype=np.int64)
    yy, xx = np.mgrid[0:image_size, 0:image_size].astype(np.float32)
    lo, hi = max(2.0, image_size / 12), max(3.0, image_size / 4)  # radius / half-side range
    for i in range(n):
        background = rng.uniform(0.0, 0.3)
        image = np.full((image_size, image_size), background, dtype=np.float32)
        for _ in range(int(rng.integers(1, max_shapes + 1))):
            kind = SHAPES[int(rng.integers(len(SHAPES)))]
            cy, cx = rng.uniform(0, image_size, size=2)
            r = rng.uniform(lo, hi)
            if kind == "circle":
                inside = (yy - cy) ** 2 + (xx - cx) ** 2 <= r**2
            elif kind == "rectangle":
                ry, rx = r, rng.uniform(lo, hi)
                inside = (np.abs(yy - cy) <= ry) & (np.abs(xx - cx) <= rx)
            else:
                angles = rng.uniform(0, 2 * np.pi) + np.array([0.0, 2.0, 4.0]) * np.pi / 3
                corners = np.stack([cy + r * np.sin(angles), cx + r * np.cos(angles)], axis=1)
                inside = _triangle(yy, xx, corners)
            image[inside] = rng.uniform(background + 0.3, 1.0)
            masks[i][inside] = 1
        noise = rng.normal(0.0, 0.08, size=image.shape).astype(np.float32)
        images[i] = np.clip(image + noise, 0.0, 1.0)
    return images, masks


def make_shapes(
    n: int, *, image_size: int = 64, max_shapes: int = 3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` noisy images of circles, rectangles and triangles with their masks.

    The same arguments always give the same arrays.

    Args:
        n: Number of images, >= 1.
        image_size: Height and width, >= 8.
        max_shapes: Most shapes per image (each image has 1 to ``max_shapes``), >= 1.
        seed: Seed of the generator, a non-negative int.

    Returns:
        ``(images, masks)``: images of shape ``(n, image_size, image_size)``, ``float32`` in
        [0, 1]; masks of the same shape, ``int64``, 0 for background and 1 for a shape.

    Example:
        >>> from dlguide.data.shapes import make_shapes
        >>> images, masks = make_shapes(4)
        >>> images.shape, images.dtype, masks.dtype
        ((4, 64, 64), dtype('float32'), dtype('int64'))
    """
    n = check_positive_int("n", n)
    image_size = check_int("image_size", image_size, minimum=8)
    max_shapes = check_positive_int("max_shapes", max_shapes)
    seed = check_int("seed", seed, minimum=0)
    return _generate(n, image_size, max_shapes, np.random.default_rng(seed))


def load_shapes(*, num_train: int = 512, num_test: int = 128, seed: int = 0) -> Split:
    """The fixed train/test split of 64x64 shape images used throughout the guide.

    Train and test images come from two independent random streams of ``seed``, so no test
    image is a training image and the split does not depend on ``num_train``. Shapes per image:
    1 to 3. Synthetic data generated here; no licence restrictions.

    Args:
        num_train: Training images, >= 1.
        num_test: Test images, >= 1.
        seed: Seed of the split, a non-negative int.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images ``(N, 64, 64)`` ``float32`` in [0, 1]
        and masks ``(N, 64, 64)`` ``int64`` in {0, 1}.

    Example:
        >>> from dlguide.data.shapes import load_shapes
        >>> (x_train, y_train), (x_test, y_test) = load_shapes()
        >>> x_train.shape, y_test.shape
        ((512, 64, 64), (128, 64, 64))
    """
    num_train = check_positive_int("num_train", num_train)
    num_test = check_positive_int("num_test", num_test)
    seed = check_int("seed", seed, minimum=0)
    train_rng, test_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    train = _generate(num_train, 64, 3, train_rng)
    test = _generate(num_test, 64, 3, test_rng)
    return train, test
