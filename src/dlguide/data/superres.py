"""Super-resolution patches cut from scikit-image's bundled public-domain and CC0 photographs.

Every image used ships inside the scikit-image wheel (nothing downloads). Licences, as stated
in ``skimage.data``:

Training images:

- ``camera``: the cameraman, CC0 by the photographer, Lav Varshney.
- ``astronaut``: Eileen Collins, NASA; no known copyright restrictions, public domain.
- ``coffee``: a cup of coffee, CC0 by the photographer, Rachel Michetti.
- ``rocket``: a SpaceX Falcon 9 launch, released into the public domain by SpaceX.
- ``brick``: a brick wall texture from CC0Textures, CC0.
- ``grass``: a grass texture from CC0Textures, CC0.

Test images (never used for training, so the test measures generalisation to new pictures):

- ``chelsea``: Chelsea the cat, CC0 by the photographer, Stefan van der Walt.
- ``gravel``: a gravel texture from CC0Textures, CC0.

Colour images are converted to grey (``skimage.color.rgb2gray``). Each whole image is shrunk
by ``scale`` and enlarged back with cubic interpolation (``skimage.transform.resize`` with
``order=3``; anti-aliasing on the way down), which is the blurry input SRCNN learns to sharpen;
patches are then cut at the same random positions from the blurry and the original image.
scikit-image's order-3 interpolation is a cubic *spline*, close to but not the same as the
bicubic convolution kernel most super-resolution papers use, so PSNR values measured on these
patches are not comparable with published ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import ModuleType

import numpy as np

from dlguide._checks import check_int, check_positive_int, optional_import
from dlguide.data._types import Split

TRAIN_IMAGES = ("camera", "astronaut", "coffee", "rocket", "brick", "grass")
TEST_IMAGES = ("chelsea", "gravel")


def _import_skimage() -> ModuleType:
    # The package first: its submodules may already be imported while the package is not usable.
    skimage = optional_import("skimage", needed_by="load_sr_patches")
    for name in ("skimage.color", "skimage.data", "skimage.transform"):
        optional_import(name, needed_by="load_sr_patches")
    return skimage


def _pairs(names: Iterable[str], *, scale: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(blurry, sharp) float32 grey images in [0, 1], one pair per name."""
    skimage = _import_skimage()
    result = []
    for name in names:
        image = getattr(skimage.data, name)()
        # Colour (H, W, 3) -> grey (H, W) in [0, 1]; grey images come as 0..255.
        image = skimage.color.rgb2gray(image[..., :3]) if image.ndim == 3 else image / 255.0
        h, w = (image.shape[0] // scale) * scale, (image.shape[1] // scale) * scale
        sharp = image[:h, :w].astype(np.float64)
        small = skimage.transform.resize(
            sharp, (h // scale, w // scale), order=3, anti_aliasing=True
        )
        blurry = skimage.transform.resize(small, (h, w), order=3, anti_aliasing=False)
        result.append((np.clip(blurry, 0, 1).astype(np.float32), sharp.astype(np.float32)))
    return result


def _crop(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
    num: int,
    patch_size: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    low = np.empty((num, patch_size, patch_size), dtype=np.float32)
    high = np.empty((num, patch_size, patch_size), dtype=np.float32)
    for k in range(num):
        blurry, sharp = pairs[int(rng.integers(len(pairs)))]
        i = int(rng.integers(sharp.shape[0] - patch_size + 1))
        j = int(rng.integers(sharp.shape[1] - patch_size + 1))
        low[k] = blurry[i : i + patch_size, j : j + patch_size]
        high[k] = sharp[i : i + patch_size, j : j + patch_size]
    return low, high


def load_sr_patches(
    *,
    patch_size: int = 32,
    scale: int = 2,
    num_train: int = 1024,
    num_test: int = 256,
    seed: int = 0,
) -> Split:
    """Grey (blurry, sharp) patch pairs for super-resolution; train and test from different images.

    Train patches come from ``camera``, ``astronaut``, ``coffee``, ``rocket``, ``brick`` and
    ``grass``; test patches from ``chelsea`` and ``gravel`` (licences in the module docstring).
    Needs scikit-image (the ``examples`` extra).

    Args:
        patch_size: Height and width of a patch, in [8, 256].
        scale: The upscaling factor simulated (each image shrunk by it, then enlarged), >= 2.
        num_train: Training patches, >= 1.
        num_test: Test patches, >= 1.
        seed: Seed of the patch positions, a non-negative int.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` the bicubic-upscaled low-resolution
        patches, ``y`` the original high-resolution patches, all of shape
        ``(N, patch_size, patch_size)`` and dtype ``float32`` in [0, 1].

    Raises:
        ImportError: If scikit-image is not installed.

    Example:
        >>> from dlguide.data.superres import load_sr_patches
        >>> (x_train, y_train), (x_test, y_test) = load_sr_patches(num_train=8, num_test=4)
        >>> x_train.shape, y_test.dtype
        ((8, 32, 32), dtype('float32'))
    """
    patch_size = check_int("patch_size", patch_size, minimum=8)
    if patch_size > 256:
        raise ValueError(
            f"patch_size must be <= 256 (the smallest image is 300 pixels), got {patch_size}"
        )
    scale = check_int("scale", scale, minimum=2)
    num_train = check_positive_int("num_train", num_train)
    num_test = check_positive_int("num_test", num_test)
    seed = check_int("seed", seed, minimum=0)
    train_rng, test_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    train = _crop(_pairs(TRAIN_IMAGES, scale=scale), num_train, patch_size, train_rng)
    test = _crop(_pairs(TEST_IMAGES, scale=scale), num_test, patch_size, test_rng)
    return train, test
