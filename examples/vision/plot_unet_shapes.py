"""
U-Net: segmenting shapes pixel by pixel
=======================================

Segmentation gives every pixel a label instead of giving the whole image one. A U-Net
(:footcite:t:`ronneberger2015unet`) shrinks the image to learn
*what* is there, grows it back to say *where*, and copies the fine detail of the shrinking half
across to the growing half through skip connections. We train the small
:class:`dlguide.torch.UNet` to find circles, rectangles and triangles in noisy grey
images and score it with the mean intersection over union (IoU) on 128 test images, next to a
classical threshold (Otsu's method). Shortcuts, to keep the page fast: 256 generated training
images of 64x64 pixels, a narrow network (8, 16, 32 channels), 5 epochs in batches of 8 and a
single training run (seed 0), so the comparison below is one draw, not an average over seeds.
Unlike the original U-Net, whose unpadded convolutions shrink every map so that the encoder
maps must be cropped before they are concatenated, dlguide's U-Net pads its convolutions: its
3x3 convolutions keep a map's size (only pooling and upsampling change it) and the output has the
input's 64x64 pixels.
"""

# %%
# Generate the data
# -----------------
# :func:`dlguide.data.load_shapes` draws 1 to 3 shapes on a random grey background, each
# brighter than it by a random amount, and adds Gaussian noise. The mask is 1 on a shape and 0
# elsewhere. Train and test images come from independent random streams.

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

from dlguide.data.shapes import load_shapes

(x_train, y_train), (x_test, y_test) = load_shapes(num_train=256, num_test=128, seed=0)
print(f"train: {x_train.shape}, test: {x_test.shape}, shape pixels: {y_train.mean():.0%}")

# %%
# A baseline: Otsu's threshold
# ----------------------------
# Shapes are brighter than the background, so one threshold per image should already separate
# them. Otsu's method (:footcite:t:`otsu1979threshold`) picks the threshold that splits the
# image's grey levels into the two groups with the largest variance between them (equivalently,
# the smallest variance within them). That works when both groups are large. When the shapes
# cover only a small part of the image, the background's noisy grey levels dominate the
# histogram, the best split can fall inside them, and background noise crosses the threshold.
import numpy as np
from skimage.filters import threshold_otsu

from dlguide.metrics import mean_iou

otsu = np.stack([(image > threshold_otsu(image)).astype(np.int64) for image in x_test])
baseline = mean_iou(otsu, y_test, num_classes=2)
print(f"Otsu threshold, mean IoU: {baseline:.3f}")

# %%
# Train the U-Net
# ---------------
# The network outputs two scores (background, shape) per pixel, shape ``(B, 2, 64, 64)``;
# cross-entropy averaged over all pixels is the loss, exactly as for classification but once per
# pixel: ``torch.nn.functional.cross_entropy`` reads the class scores from axis 1 of a
# ``(B, 2, H, W)`` tensor. We also track the fraction of pixels labelled right. Small batches
# of 8 images give the network more steps per epoch than larger ones would, for the same work.
import torch
from torch.nn import functional as F

from dlguide.torch import fit, get_device, predict, seed_everything
from dlguide.torch.unet import UNet

SEED = 0
seed_everything(SEED)
device = get_device()


def pixel_accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Fraction of pixels whose larger score is the true class: (B, 2, H, W) vs (B, H, W)."""
    return (y_hat.argmax(dim=1) == y).float().mean()


model = UNet(in_channels=1, num_classes=2, widths=(8, 16, 32))
history = fit(
    model,
    (x_train[:, None], y_train),  # images (N, 1, 64, 64), masks (N, 64, 64)
    epochs=5,
    lr=2e-3,
    batch_size=8,
    loss=F.cross_entropy,
    metrics=[pixel_accuracy],
    device=device,
)
print(
    f"last epoch: loss {history['loss'][-1]:.4f}, pixel accuracy {history['pixel_accuracy'][-1]:.3f}"
)

# %%
# Mean IoU on the test images
# ---------------------------
# For each class, IoU is the overlap of the predicted and the true region divided by their
# union, counted over the pixels of all test images together; the mean over the two classes is
# the score (1 is perfect). Unlike pixel accuracy, it does not let the large background hide
# missed shapes: a model that labels everything as background gets pixel accuracy equal to the
# background's share of the pixels, but an IoU of 0 on the shape class, which caps its mean IoU
# at one half.
import dlguide

predicted = predict(model, x_test[:, None], device=device).argmax(dim=1).numpy()  # (N, 64, 64)
score = mean_iou(predicted, y_test, num_classes=2)
print(f"U-Net mean IoU: {score:.3f}   Otsu: {baseline:.3f}")
metrics = dlguide.report(mean_iou=score, baseline_mean_iou=baseline)

# %%
# Where the threshold fails and the U-Net does not
# ------------------------------------------------
# We show the four test images on which Otsu's threshold does worst: a single threshold turns
# every noisy background pixel brighter than it into "shape". The U-Net labels each pixel from
# its neighbourhood (its receptive field spans many pixels), so isolated noisy pixels do not
# fool it.
import matplotlib.pyplot as plt

per_image = [mean_iou(o, t, num_classes=2) for o, t in zip(otsu, y_test)]
worst = np.argsort(per_image)[:4]
columns = (("image", x_test), ("true mask", y_test), ("Otsu", otsu), ("U-Net", predicted))
fig, axes = plt.subplots(4, 4, figsize=(7, 7.2))
for row, i in enumerate(worst):
    for col, (name, arrays) in enumerate(columns):
        axes[row, col].imshow(arrays[i], cmap="gray", vmin=0, vmax=1)
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
        if row == 0:
            axes[row, col].set_title(name)
    axes[row, 2].set_xlabel(f"IoU {per_image[i]:.2f}", fontsize=8)
    axes[row, 3].set_xlabel(
        f"IoU {mean_iou(predicted[i], y_test[i], num_classes=2):.2f}", fontsize=8
    )
fig.suptitle("Otsu threshold and U-Net on the four hardest test images")
fig.tight_layout()

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
plt.show()

# %%
# References
# ----------
#
# .. footbibliography::
