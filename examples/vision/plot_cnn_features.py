"""
What a CNN learns: filters and feature maps
===========================================

A convolutional network is often described as a stack of detectors: the first layer responds to
edges and blobs, later layers to combinations of them, parts of objects, a picture that
:footcite:t:`zeiler2014visualizing` made concrete by projecting a large network's activations
back to the pixels. Here we look inside the small LeNet-style network
(:footcite:t:`lecun1998gradient`) that ships with dlguide, already trained on Fashion-MNIST
(:footcite:t:`xiao2017fashion`; :func:`dlguide.torch.pretrained_lenet`), so this page trains
nothing. We draw its
first-layer filters next to the random values they started from, then follow one test image
through both convolutional blocks.
"""

# %%
# Load the pretrained network and the test images
# -----------------------------------------------
# The shipped weights come from 6 epochs on the 12,000 Fashion-MNIST training images bundled with
# dlguide (one training run, seed 0). We first check that they really classify clothing: the
# full 10,000-image test set is the held-out data, and an untrained network of the same
# architecture is the baseline (its random weights know nothing about clothing, so we expect
# about one answer in ten right, the chance level of ten balanced classes). The untrained
# copy is built exactly as the training run built its network (seed 0, default arguments), so
# its weights are the pretrained network's starting point.

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[torch], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import time

start = time.perf_counter()

import numpy as np

import dlguide
from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist
from dlguide.torch import evaluate, get_device, seed_everything
from dlguide.torch.cnn import LeNet, pretrained_lenet

SEED = 0
seed_everything(SEED)
device = get_device()

_, (x_test, y_test) = load_fashion_mnist(num_train=10)  # the test set is always complete
x_test = x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28): one grey channel, channels first

untrained = LeNet().to(device).eval()  # right after seed_everything(0): the training run's start
model = pretrained_lenet(device=device)
accuracy = evaluate(model, (x_test, y_test), device=device)["accuracy"]
baseline = evaluate(untrained, (x_test, y_test), device=device)["accuracy"]
print(f"pretrained LeNet: {accuracy:.3f}   untrained LeNet: {baseline:.3f}")
metrics = dlguide.report(test_accuracy=accuracy, baseline_accuracy=baseline)

# %%
# First-layer filters: trained against random
# -------------------------------------------
# The first block has 16 filters of 5x5 weights, each slid over the image. Side by side, the
# trained filters (middle row) still look much like the random values they started from (top
# row): six short epochs moved them only partly away, and the correlation printed below is
# high. The change that training made (bottom row, trained minus initial) is another matter: it
# is smooth, with light-dark transitions in one direction, which respond to edges of that
# orientation, and blobs. These are the same kinds of detectors that image processing designed
# by hand for decades (the Sobel and Laplacian kernels, :footcite:p:`duda1973pattern`), found
# here from data alone. The neighbour correlation printed below measures the smoothness: about
# 0 for noise, closer to 1 for smooth patterns.
import matplotlib.pyplot as plt


def first_filters(net):
    weights = net.features.block0.conv.weight.detach().cpu().numpy()  # (16, 1, 5, 5)
    return weights[:, 0]  # -> (16, 5, 5)


def neighbour_correlation(weights):
    """Correlation of horizontally and vertically adjacent weights: ~0 for noise."""
    w = weights - weights.mean(axis=(1, 2), keepdims=True)  # (16, 5, 5), each filter centred
    a = np.concatenate([w[:, :, :-1].ravel(), w[:, :-1, :].ravel()])
    b = np.concatenate([w[:, :, 1:].ravel(), w[:, 1:, :].ravel()])
    return np.corrcoef(a, b)[0, 1]


initial, trained = first_filters(untrained), first_filters(model)
change = trained - initial
similarity = np.corrcoef(trained.ravel(), initial.ravel())[0, 1]
print(f"correlation of trained and initial filters: {similarity:.2f}")
for name, weights in (("initial", initial), ("trained", trained), ("change", change)):
    print(f"{name:>8}: neighbour correlation {neighbour_correlation(weights):.2f}")

fig, axes = plt.subplots(3, 16, figsize=(12, 2.7))
rows = ((initial, "initial"), (trained, "trained"), (change, "change"))
for row, (weights, name) in enumerate(rows):
    for ax, w in zip(axes[row], weights):
        limit = np.abs(w).max()
        ax.imshow(w, cmap="RdBu_r", vmin=-limit, vmax=limit)  # red positive, blue negative
        ax.set_xticks([])
        ax.set_yticks([])
    axes[row, 0].set_ylabel(name, fontsize=9)
fig.suptitle("The 16 first-layer filters (5x5)")
fig.tight_layout()

# %%
# Feature maps of one image, block by block
# -----------------------------------------
# :func:`dlguide.torch.feature_maps` returns the output of each block (after ReLU and
# pooling). Block 1 keeps a 14x14 picture per filter: each map is the boot with a different
# edge or region highlighted (the sole, the outline, the inside, the background). Block 2 sees
# 7x7 maps that combine block 1's answers over a wider window; they look less like the image
# (a few still show the boot's outline) and light up on some regions of the boot and not on
# others.
import torch

from dlguide.torch.cnn import feature_maps

index = int(np.flatnonzero(y_test == FASHION_MNIST_CLASSES.index("Ankle boot"))[0])
image = torch.from_numpy(x_test[index : index + 1]).to(device)  # (1, 1, 28, 28)
block1, block2 = (m[0].cpu().numpy() for m in feature_maps(model, image))
print(f"block 1 maps: {block1.shape}, block 2 maps: {block2.shape}")

fig = plt.figure(figsize=(12, 4.2))
grid = fig.add_gridspec(3, 17)
ax = fig.add_subplot(grid[:, :3])
ax.imshow(x_test[index, 0], cmap="gray")
ax.set_title(f"input: {FASHION_MNIST_CLASSES[y_test[index]]}", fontsize=9)
ax.axis("off")
for k, fmap in enumerate(block1):  # 16 maps of 14x14
    ax = fig.add_subplot(grid[k // 8, 3 + k % 8])
    ax.imshow(fmap, cmap="magma")
    ax.axis("off")
for k, fmap in enumerate(block2[:16]):  # the first 16 of 32 maps of 7x7
    ax = fig.add_subplot(grid[k // 6 if k < 12 else 2, 11 + k % 6])
    ax.imshow(fmap, cmap="magma")
    ax.axis("off")
fig.text(0.42, 0.9, "block 1: 16 maps, 14x14", ha="center", fontsize=10)
fig.text(0.83, 0.9, "block 2: 16 of 32 maps, 7x7", ha="center", fontsize=10)
_ = fig.suptitle("Feature maps of a test image after each convolutional block")

# %%
# How much of the image is active?
# --------------------------------
# We count the nonzero activations (after ReLU and pooling) over 500 test images. In the run
# printed below the deeper maps are somewhat sparser; a plausible reading, which this count
# does not test, is that a unit in block 2 fires only where its particular combination of
# block 1's patterns occurs.
with torch.no_grad():
    maps = feature_maps(model, torch.from_numpy(x_test[:500]).to(device))
for i, fmap in enumerate(maps, start=1):
    active = (fmap > 0).float().mean().item()
    print(f"block {i}: {tuple(fmap.shape[1:])}, {active:.0%} of activations are nonzero")

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
