"""
Super-resolution: SRCNN against bicubic interpolation
=====================================================

Enlarging a photo by interpolation fills in new pixels smoothly, so edges come out blurred. A
convolutional network can learn how sharp edges and textures usually look and put that detail
back. SRCNN (:footcite:t:`dong2014learning`; journal version :footcite:t:`dong2016image`) does
it with just three convolutions applied to the bicubic enlargement. We train the small
:class:`dlguide.torch.SRCNN` on patches of six photographs that ship with scikit-image and
measure the peak signal-to-noise ratio (PSNR) on patches of two *other* photographs, against
bicubic interpolation itself, with three seeds. Shortcuts: 512 training patches of 32x32 pixels,
a narrow network (32 and 16 maps instead of 64 and 32) and 3 epochs per seed, where the papers
trained on a GPU for far longer, on about 25,000 sub-images cut from 91 images and, in their
larger setting, on more than five million cut from ImageNet.
"""

# %%
# The data: blurry and sharp patch pairs
# --------------------------------------
# :func:`dlguide.data.load_sr_patches` shrinks each grey photograph by a factor of 3, enlarges it
# back (the network's input) and cuts patches at the same places from that and from the original
# (the target). The enlargement is scikit-image's cubic interpolation (``order=3``), a cubic
# spline, which we call "bicubic" below; it is close to, but not the same as, the bicubic kernel of
# the SRCNN papers. Test patches come from the cat ``chelsea`` and a gravel texture, which no
# training patch shows.

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[torch,examples], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import time

start = time.perf_counter()

from dlguide.data.superres import load_sr_patches

SCALE = 3
(x_train, y_train), (x_test, y_test) = load_sr_patches(
    patch_size=32, scale=SCALE, num_train=512, num_test=256, seed=0
)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# The baseline: bicubic interpolation
# -----------------------------------
# PSNR compares an image with the original: :math:`10 \log_{10}(1 / \mathrm{MSE})` for pixels in [0,
# 1], in decibels (dB); higher is better, and one decibel more means the squared error shrank by
# about a fifth. The network's 9x9, 5x5 and 5x5 convolutions see 17x17 pixels, 8 on each side of the
# pixel they compute, so an output pixel closer than 8 pixels to a patch's edge sees zero padding
# instead of the picture. We score only the central 16x16 pixels of each patch, without that 8-pixel
# border, for both methods. These decibels are not comparable with the papers': they used another
# bicubic kernel and other test images, and averaged the PSNR of whole images, while we pool the
# squared error of all test patches into one PSNR.
from dlguide.metrics import psnr

BORDER = 8


def centre(images):
    return images[:, BORDER:-BORDER, BORDER:-BORDER]  # (N, 32, 32) -> (N, 16, 16)


baseline = psnr(centre(x_test), centre(y_test))
print(f"bicubic: {baseline:.2f} dB")

# %%
# Train SRCNN on the missing detail, three times
# ----------------------------------------------
# Instead of asking the network for the whole sharp patch, we ask for the difference between the
# sharp and the blurry patch and add the input back afterwards. This *residual* target
# (:footcite:t:`kim2016accurate`) is small, close to zero wherever the image is flat, and a network
# that outputs zeros starts exactly at the bicubic result, so even a few epochs can improve on it.
# The loss is the mean squared error, the quantity PSNR measures. We train from three seeds (initial
# weights and data order) to see how much of the gain is luck.
import numpy as np

import dlguide
from dlguide.torch import fit, get_device, predict, seed_everything
from dlguide.torch.srcnn import SRCNN

SEED = 0
SEEDS = (0, 1, 2)
device = get_device()

scores, restored = [], None
for seed in SEEDS:
    seed_everything(seed)
    model = SRCNN(channels=1, widths=(32, 16), kernel_sizes=(9, 5, 5))
    fit(
        model,
        (x_train[:, None], (y_train - x_train)[:, None]),  # (N, 1, 32, 32): input and residual
        epochs=3,
        lr=1e-3,
        batch_size=16,
        loss="mse",
        metrics=None,
        device=device,
        seed=seed,
    )
    residual = predict(model, x_test[:, None], device=device).numpy()[:, 0]  # (N, 32, 32)
    output = np.clip(x_test + residual, 0.0, 1.0)
    scores.append(psnr(centre(output), centre(y_test)))
    print(
        f"seed {seed}: SRCNN {scores[-1]:.2f} dB, gain over bicubic {scores[-1] - baseline:+.2f} dB"
    )
    if seed == SEED:
        restored = output  # the first seed's output, shown below

# %%
# PSNR on the held-out photographs
# --------------------------------
# The mean gain and its spread over the seeds. In the run printed above every seed beats
# bicubic interpolation, and the gain is many times the spread between the seeds (the ratio is
# printed below), so with these settings the gain is not luck. It is still small, as one would
# expect from a narrow network trained for a few epochs on a few hundred patches; this page
# does not test which of these shortcuts limits it most.
gains = np.array(scores) - baseline
print(
    f"SRCNN: {np.mean(scores):.2f} dB   bicubic: {baseline:.2f} dB   "
    f"gain: {gains.mean():+.2f} +- {gains.std(ddof=1):.2f} dB (mean +- std over {len(SEEDS)} seeds)"
)
print(f"mean gain / spread between seeds: {gains.mean() / gains.std(ddof=1):.0f}")
metrics = dlguide.report(psnr=float(np.mean(scores)), baseline_psnr=baseline)

# %%
# A closer look
# -------------
# The three test patches where bicubic interpolation lost the most detail, with the first seed's
# SRCNN output; in this run all three come from the gravel texture, whose stone rims carry the
# most fine detail of the two test images. The last column shows where the network changed the
# bicubic image (red brighter, blue darker): the largest changes lie along the edges between
# the stones.
import matplotlib.pyplot as plt

errors = ((x_test - y_test) ** 2).mean(axis=(1, 2))
examples = np.argsort(errors)[-3:]  # the patches with the most detail to restore
fig, axes = plt.subplots(3, 4, figsize=(8, 6.2))
for row, i in enumerate(examples):
    panels = (
        ("bicubic", x_test[i], "gray"),
        ("SRCNN", restored[i], "gray"),
        ("original", y_test[i], "gray"),
        ("SRCNN - bicubic", restored[i] - x_test[i], "RdBu_r"),
    )
    for ax, (title, image, cmap) in zip(axes[row], panels):
        if cmap == "gray":
            ax.imshow(image, cmap=cmap, vmin=0, vmax=1)
        else:
            limit = np.abs(image).max()
            ax.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
        ax.set_xticks([])
        ax.set_yticks([])
        if row == 0:
            ax.set_title(title)
fig.suptitle("Bicubic, SRCNN and original on three test patches")
fig.tight_layout()

# %%
# Footer
# ------
# The first seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
plt.show()

# %%
# References
# ----------
#
# .. footbibliography::
