"""
Super-resolution: SRCNN against bicubic interpolation
=====================================================

Enlarging a photo by interpolation fills in new pixels smoothly, so edges come out blurred. A
convolutional network can learn how sharp edges and textures usually look and put that detail
back. SRCNN (Dong, Loy, He & Tang, 2014, https://arxiv.org/abs/1501.00092) does it with just
three convolutions applied to the bicubic enlargement. We train the small
:class:`dlguide.torch.SRCNN` on patches of six photographs that ship with scikit-image and
measure the peak signal-to-noise ratio (PSNR) on patches of two *other* photographs, against
bicubic interpolation itself. Shortcuts: 1,024 training patches of 32x32 pixels, a narrow network
(32 and 16 maps instead of 64 and 32) and 5 epochs, where the paper trained for days.
"""

# %%
# The data: blurry and sharp patch pairs
# --------------------------------------
# :func:`dlguide.data.load_sr_patches` shrinks each grey photograph 3 times, enlarges it
# back with bicubic interpolation (the network's input) and cuts patches at the same places from
# that and from the original (the target). Test patches come from the cat ``chelsea`` and a
# gravel texture, which no training patch shows.
import time

start = time.perf_counter()

from dlguide.data.superres import load_sr_patches

SCALE = 3
(x_train, y_train), (x_test, y_test) = load_sr_patches(
    patch_size=32, scale=SCALE, num_train=1024, num_test=256, seed=0
)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# The baseline: bicubic interpolation
# -----------------------------------
# PSNR compares an image with the original: :math:`10 \log_{10}(1 / \mathrm{MSE})` for pixels in
# [0, 1], in decibels (dB); higher is better, and +1 dB means the squared error shrank by about
# 20%. The network's 9x9, 5x5 and 5x5 convolutions see 17x17 pixels, so near a patch's border it
# sees zero padding instead of the picture. As the paper does, we score only the centre of each
# patch, here without a 6-pixel border, for both methods.
from dlguide.metrics import psnr

BORDER = 6


def centre(images):
    return images[:, BORDER:-BORDER, BORDER:-BORDER]  # (N, 32, 32) -> (N, 20, 20)


baseline = psnr(centre(x_test), centre(y_test))
print(f"bicubic: {baseline:.2f} dB")

# %%
# Train SRCNN on the missing detail
# ---------------------------------
# Instead of asking the network for the whole sharp patch, we ask for the difference between
# the sharp and the blurry patch and add the input back afterwards. This *residual* target (Kim,
# Lee & Lee, 2016, https://arxiv.org/abs/1511.04587) is small and mostly zero, so a few epochs
# suffice; a network that outputs zeros starts exactly at the bicubic result. The loss is the
# mean squared error, the quantity PSNR measures.
from dlguide.torch import fit, get_device, predict, seed_everything
from dlguide.torch.srcnn import SRCNN

SEED = 0
seed_everything(SEED)
device = get_device()

model = SRCNN(channels=1, widths=(32, 16), kernel_sizes=(9, 5, 5))
history = fit(
    model,
    (x_train[:, None], (y_train - x_train)[:, None]),  # (N, 1, 32, 32): input and residual
    epochs=5,
    lr=1e-3,
    batch_size=32,
    loss="mse",
    metrics=None,
    device=device,
)

# %%
# PSNR on the held-out photographs
# --------------------------------
import numpy as np

import dlguide

residual = predict(model, x_test[:, None], device=device).numpy()[:, 0]  # (N, 32, 32)
restored = np.clip(x_test + residual, 0.0, 1.0)
score = psnr(centre(restored), centre(y_test))
print(f"SRCNN: {score:.2f} dB   bicubic: {baseline:.2f} dB   gain: {score - baseline:+.2f} dB")
dlguide.report(psnr=score, baseline_psnr=baseline)

# %%
# A closer look
# -------------
# The gain is largest on edges, like the cat's whiskers and the rims of the stones; flat regions
# were already right. The last column shows where the network changed the bicubic image (red
# brighter, blue darker).
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
dlguide.footer(seed=SEED, device=device, start=start)
