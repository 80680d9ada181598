"""
LeNet on Fashion-MNIST with PyTorch
===================================

A convolutional network reads an image through small filters that slide over it, so it finds a
collar or a heel wherever it sits. We train :class:`dlguide.torch.LeNet`, a small network in
the spirit of :footcite:t:`lecun1998gradient`, to sort the 28x28 photos of clothing of
Fashion-MNIST (:footcite:t:`xiao2017fashion`) into 10 classes, and compare it on the 10,000
official test images with logistic regression on the raw pixels. To keep the page fast we train
a narrow LeNet (8 and 16 filters, half the width of the one in the chapter
:doc:`/chapters/convolutional-networks`) on 4,000 of the images bundled with dlguide (a
fifteenth of the official training set) for 3 epochs, three times with different seeds. A wider
network, more data and more epochs do better; this page does not measure that: the chapter
evaluates the LeNet dlguide ships pretrained (:func:`dlguide.torch.pretrained_lenet`, 16 and 32
filters, 6 epochs on 12,000 images), and where the full data set is installed,
``load_fashion_mnist(num_train=60000)`` loads all of it.
"""

# %%
# Load the data
# -------------
# :func:`dlguide.data.load_fashion_mnist` returns the first ``num_train // 10`` training images
# of each class and the complete test set, scaled to [0, 1]; nothing is downloaded. PyTorch wants
# images channels first, so we add a channel axis of size 1.

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

from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist

NUM_TRAIN, EPOCHS = 4000, 3
(x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=NUM_TRAIN)
x_train, x_test = x_train[:, None], x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28)
print(f"train: {x_train.shape}, test: {x_test.shape}")
print("classes:", ", ".join(FASHION_MNIST_CLASSES))

# %%
# A baseline: logistic regression on pixels
# -----------------------------------------
# A linear model on the 784 pixel values, trained on the same images, is the classical
# reference for this data set. It knows nothing about neighbouring pixels: it weighs each pixel
# on its own, so a shirt shifted by two pixels meets different weights. We stop its solver after
# 100 iterations. Its fit is deterministic, so one fit is enough.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # we stop the solver early on purpose
    logistic = LogisticRegression(max_iter=100).fit(x_train.reshape(len(x_train), -1), y_train)
baseline = logistic.score(x_test.reshape(len(x_test), -1), y_test)
print(f"logistic regression on pixels: {baseline:.3f}")

# %%
# Build and train LeNet, three seeds
# ----------------------------------
# Two blocks of 5x5 convolution, ReLU (:footcite:t:`nair2010rectified`) and 2x2 max pooling
# (8 and 16 filters) turn the image into 16 maps of 7x7; a hidden layer of 128 units and the
# output layer follow. ``fit`` is the guide's plain training loop (Adam,
# :footcite:t:`kingma2015adam`, and cross-entropy), here on batches of 32 images. A seed fixes
# the initial weights and the order of the batches; we train from three. We keep each
# network's answers on the test images: its accuracy is the fraction it gets right, and the
# answers of the first seed feed the confusion matrix below.
import numpy as np

from dlguide.torch import fit, get_device, predict, seed_everything
from dlguide.torch.cnn import LeNet

SEED = 0
SEEDS = (0, 1, 2)
device = get_device()

histories, accuracies = [], []
for seed in SEEDS:
    seed_everything(seed)
    model = LeNet(image_size=28, channels=(8, 16), num_hiddens=128, dropout=0.0)
    if seed == SEED:
        print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")
    histories.append(
        fit(
            model,
            (x_train, y_train),
            epochs=EPOCHS,
            lr=3e-3,
            batch_size=32,
            device=device,
            seed=seed,
        )
    )
    predicted = predict(model, x_test, device=device).argmax(dim=1).numpy()  # (10000,) classes
    if seed == SEED:
        first_predicted = predicted
    accuracies.append(float(np.mean(predicted == y_test)))
    print(f"seed {seed}: test accuracy {accuracies[-1]:.3f}")

# %%
# The training curves
# -------------------
# The loss of an epoch is its mean over the epoch's batches, so it lags behind the network at
# the end of the epoch. These are the curves of the first seed.
from dlguide.plot import plot_history

fig = plot_history(histories[0], title=f"LeNet on {NUM_TRAIN:,} Fashion-MNIST images, seed {SEED}")

# %%
# Test accuracy against the baseline
# ----------------------------------
# All 10,000 test images are new to both models. The spread over the seeds shows how much of a
# difference between LeNet and the baseline is luck: in the run printed below, every one of the
# three seeds beats logistic regression, and the mean margin is larger than the standard
# deviation between the seeds. With this short training of a narrow network the margin is
# small; the second line below prints it.
import dlguide

accuracies = np.array(accuracies)
print(
    f"LeNet: {accuracies.mean():.3f} +- {accuracies.std(ddof=1):.3f} "
    f"(mean +- std over {len(SEEDS)} seeds; min {accuracies.min():.3f}, max {accuracies.max():.3f})"
    f"   logistic regression: {baseline:.3f}"
)
print(
    f"margin of LeNet over logistic regression: smallest {accuracies.min() - baseline:+.3f}, "
    f"mean {accuracies.mean() - baseline:+.3f}"
)
metrics = dlguide.report(test_accuracy=float(accuracies.mean()), baseline_accuracy=baseline)

# %%
# Which classes get confused?
# ---------------------------
# The confusion matrix counts, for each true class (row), what the network of the first seed
# answered (column). Shirts and coats are right least often (shirts worst of all): most shirts
# it misses are taken for T-shirts or pullovers, most coats for pullovers or shirts, garments of
# the same outline. T-shirts, pullovers, dresses and sneakers also miss more than one image in
# ten (the sneakers it misses are mostly taken for ankle boots); trousers, sandals, bags and
# ankle boots are right more than nine times in ten.
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay

fig, ax = plt.subplots(figsize=(6.5, 6))
ConfusionMatrixDisplay.from_predictions(
    y_test,
    first_predicted,
    display_labels=FASHION_MNIST_CLASSES,
    xticks_rotation=60,
    colorbar=False,
    ax=ax,
)
fig.suptitle("Confusion matrix of LeNet (seed 0) on the 10,000 test images")
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
