"""
Feature extraction: a frozen CNN and logistic regression
========================================================

The cheapest way to reuse a trained network is not to train it at all: run the images through
it once, keep what a hidden layer outputs, and fit a classical classifier on those numbers. We
take the LeNet that ships with dlguide, trained on photos of clothing (Fashion-MNIST,
:func:`dlguide.torch.pretrained_lenet`), freeze it, and use it to describe handwritten
digits (MNIST) for a scikit-learn logistic regression that sees only 10 labelled digits per
class. The baseline is the same logistic regression on the raw pixels. We try two layers of
the network, because which layer you take matters. Shortcut: one random draw of the labelled
images per size; averages over many draws move the numbers by a point or two.
"""

# %%
# Digits, a few of them labelled
# ------------------------------
import time

start = time.perf_counter()

import numpy as np

from dlguide.data.mnist import load_mnist_5k

SEED = 0
(x_pool, y_pool), (x_test, y_test) = load_mnist_5k(seed=SEED)
x_pool, x_test = x_pool[:, None], x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28)
rng = np.random.default_rng(SEED)


def labelled_subset(per_class: int):
    """Indices of ``per_class`` random pool images of each digit."""
    return np.concatenate(
        [
            rng.choice(np.flatnonzero(y_pool == digit), per_class, replace=False)
            for digit in range(10)
        ]
    )


# %%
# Features from the frozen network
# --------------------------------
# ``model.features`` maps an image to the 128 values of the last hidden layer, the input of the
# clothing classifier. :func:`dlguide.torch.feature_maps` gives the output of each
# convolutional block; the second block's 32 maps of 7x7, flattened, are 1,568 values per image.
# No gradient is computed and no weight changes: the network is only a fixed function.
import torch

from dlguide.torch import get_device, seed_everything
from dlguide.torch.cnn import feature_maps, pretrained_lenet

seed_everything(SEED)
device = get_device()
model = pretrained_lenet(device=device)  # in evaluation mode
for parameter in model.parameters():
    parameter.requires_grad_(False)  # frozen


def describe(images):
    """Return (hidden-layer features, block-2 features) as NumPy arrays, 500 images at a time."""
    hidden, block2 = [], []
    with torch.no_grad():
        for batch in np.array_split(images, max(1, len(images) // 500)):
            batch = torch.from_numpy(batch).to(device)
            hidden.append(model.features(batch).cpu().numpy())  # (B, 128)
            block2.append(feature_maps(model, batch)[1].flatten(1).cpu().numpy())  # (B, 32*7*7)
    return np.concatenate(hidden), np.concatenate(block2)


test_hidden, test_block2 = describe(x_test)
print(f"hidden-layer features: {test_hidden.shape}, block-2 features: {test_block2.shape}")

# %%
# Logistic regression on each description
# ---------------------------------------
# The same classifier on three inputs: 784 raw pixels, 1,568 block-2 values and 128 hidden
# values, trained on 5 to 50 labelled digits per class and tested on the 1,000 test digits.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def score(train_features, y_train, test_features):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # we cap the solver at 1,000 steps
        classifier = LogisticRegression(max_iter=1000).fit(train_features, y_train)
    return classifier.score(test_features, y_test)


sizes = (5, 10, 20, 50)
names = ("raw pixels", "block-2 maps (frozen)", "hidden layer (frozen)")
results = {name: [] for name in names}
for per_class in sizes:
    index = labelled_subset(per_class)
    hidden, block2 = describe(x_pool[index])
    pixels = x_pool[index].reshape(len(index), -1)  # (n, 1, 28, 28) -> (n, 784)
    results["raw pixels"].append(score(pixels, y_pool[index], x_test.reshape(len(x_test), -1)))
    results["block-2 maps (frozen)"].append(score(block2, y_pool[index], test_block2))
    results["hidden layer (frozen)"].append(score(hidden, y_pool[index], test_hidden))
    print(f"{per_class:>3} per digit: " + ", ".join(f"{n} {results[n][-1]:.3f}" for n in names))

# %%
# Which layer transfers?
# ----------------------
# The convolutional maps describe strokes, corners and blobs, which digits share with clothing,
# and they beat the raw pixels at every label budget. The last hidden layer was shaped to tell a
# sandal from a sneaker; for digits it has thrown information away and, with few labels, does
# worse than the pixels. Early and middle layers are general, late layers specific to the task they were
# trained on (Yosinski et al., 2014, https://arxiv.org/abs/1411.1792), so the farther the new
# task is from the old one, the earlier the layer to take.
import matplotlib.pyplot as plt

import dlguide

fig, ax = plt.subplots(figsize=(6, 3.6))
for name in names:
    ax.plot(sizes, results[name], marker="o", label=name)
ax.set_xscale("log")
ax.set_xticks(sizes, [str(s) for s in sizes])
ax.set_xlabel("labelled images per digit")
ax.set_ylabel("test accuracy (1,000 digits)")
fig.suptitle("Logistic regression on MNIST digits: pixels vs frozen features")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()

ten = sizes.index(10)
dlguide.report(
    test_accuracy=results["block-2 maps (frozen)"][ten],
    hidden_layer_accuracy=results["hidden layer (frozen)"][ten],
    baseline_accuracy=results["raw pixels"][ten],
)

# %%
# Footer
# ------
# ``test_accuracy`` uses the block-2 maps with 10 labels per digit; ``baseline_accuracy`` the
# raw pixels with the same 100 images.
dlguide.footer(seed=SEED, device=device, start=start)
