"""
Transfer learning: fine-tuning a pretrained CNN on a few labelled digits
========================================================================

With only a handful of labelled images, a network trained from random weights has little to
learn from. Transfer learning starts instead from a network trained on a larger, related task
and adjusts it to the new one. Here the pretrained network is the LeNet that ships with dlguide
(:func:`dlguide.torch.pretrained_lenet`), trained on photos of *clothing* (Fashion-MNIST);
the new task is *handwritten digits* (MNIST), with 5 to 50 labelled images per digit. We
fine-tune it and train the same architecture from scratch with the same labels and the same
number of steps, and test both on 1,000 digits. Shortcut: one random draw of the labelled
images per size and 150 training steps, so the page runs in seconds.
"""

# %%
# Load the digits and draw a few labels
# -------------------------------------
# The 4,000 training digits of :func:`dlguide.data.load_mnist_5k` act as a pool: we
# pretend only ``k`` images per digit carry a label. The 1,000 test digits are never used in
# training.
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
# Two ways to start
# -----------------
# *From scratch*: a new :class:`dlguide.torch.LeNet` with random weights. *Fine-tuning*:
# the pretrained LeNet, whose output layer we replace by a new one, because its ten outputs mean
# "T-shirt" ... "ankle boot", not digits. Every layer then keeps training on the digits, with the
# same optimizer, learning rate and number of steps as the scratch model. Only the starting
# point differs.
import math

from torch import nn

from dlguide.torch import evaluate, fit, get_device, seed_everything
from dlguide.torch.cnn import LeNet, pretrained_lenet

device = get_device()
STEPS, BATCH = 150, 32


def train(model, x, y):
    epochs = math.ceil(
        STEPS / math.ceil(len(x) / BATCH)
    )  # the same number of updates for every size
    fit(model, (x, y), epochs=epochs, lr=1e-3, batch_size=BATCH, device=device, seed=SEED)
    return evaluate(model, (x_test, y_test), device=device)["accuracy"]


def from_scratch():
    return LeNet(image_size=28, channels=(16, 32), num_hiddens=128)  # the pretrained shape


def fine_tuned():
    model = pretrained_lenet(device=device)
    model.head = nn.Linear(model.head.in_features, 10)  # new output layer for the 10 digits
    return model


# %%
# Train both for several label budgets
# ------------------------------------
sizes = (5, 10, 20, 50)
results = {"from scratch": [], "fine-tuned": []}
for per_class in sizes:
    index = labelled_subset(per_class)
    for name, build in (("from scratch", from_scratch), ("fine-tuned", fine_tuned)):
        seed_everything(SEED)
        results[name].append(train(build(), x_pool[index], y_pool[index]))
    print(
        f"{per_class:>3} labels per digit: from scratch {results['from scratch'][-1]:.3f}, "
        f"fine-tuned {results['fine-tuned'][-1]:.3f}"
    )

# %%
# Test accuracy against the number of labels
# ------------------------------------------
# The pretrained filters (edges, strokes, blobs) are useful for digits too, even though the
# network never saw one, so fine-tuning starts ahead and stays ahead at every label budget.
# The gap narrows as labels grow: with enough data, training from scratch catches up, and the
# pretrained start mostly saves time.
import matplotlib.pyplot as plt

import dlguide

fig, ax = plt.subplots(figsize=(6, 3.6))
for name, accuracies in results.items():
    ax.plot(sizes, accuracies, marker="o", label=name)
ax.set_xscale("log")
ax.set_xticks(sizes, [str(s) for s in sizes])
ax.set_xlabel("labelled images per digit")
ax.set_ylabel("test accuracy (1,000 digits)")
fig.suptitle("LeNet on MNIST digits: pretrained on clothing vs random start")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()

ten = sizes.index(10)
dlguide.report(
    test_accuracy=results["fine-tuned"][ten], baseline_accuracy=results["from scratch"][ten]
)

# %%
# Footer
# ------
# ``test_accuracy`` is the fine-tuned network with 10 labels per digit, ``baseline_accuracy``
# the same network trained from scratch on the same 100 images.
dlguide.footer(seed=SEED, device=device, start=start)
