"""
LeNet on Fashion-MNIST with Keras
=================================

The Keras twin of :ref:`sphx_glr_auto_examples_vision_plot_cnn_fashion_mnist.py`: the same
LeNet-style network (:class:`dlguide.keras.LeNet`, after :footcite:t:`lecun1998gradient`: two
convolution blocks and a hidden layer) learns to sort the 28x28 photos of clothing of
Fashion-MNIST (:footcite:t:`xiao2017fashion`) into 10 classes and is measured on the 10,000
official test images against logistic regression on the raw pixels. To keep the page fast we
train on 4,000 of the images bundled with dlguide for 3 epochs, three times with different
seeds; more data and epochs do better (not measured by this page).
"""

# %%
# Load the data
# -------------
# Keras wants images channels last, ``(N, H, W, C)``, so the channel axis goes at the end (the
# PyTorch page puts it second). Importing ``dlguide.keras`` selects the TensorFlow backend of
# Keras 3 unless you chose another one.
import time

start = time.perf_counter()

from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist

NUM_TRAIN, EPOCHS = 4000, 3
(x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=NUM_TRAIN)
x_train, x_test = x_train[..., None], x_test[..., None]  # (N, 28, 28) -> (N, 28, 28, 1)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# A baseline: logistic regression on pixels
# -----------------------------------------
# The linear model sees 784 independent numbers and no neighbourhoods. It is trained on the same
# images; we stop its solver after 100 iterations. Its fit is deterministic, so one is enough.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # we stop the solver early on purpose
    logistic = LogisticRegression(max_iter=100).fit(x_train.reshape(len(x_train), -1), y_train)
baseline = logistic.score(x_test.reshape(len(x_test), -1), y_test)
print(f"logistic regression on pixels: {baseline:.3f}")

# %%
# Build, compile and train LeNet, three seeds
# -------------------------------------------
# The model is a functional Keras model. The last layer returns logits (no softmax), so the loss
# is told ``from_logits=True``; that is numerically safer than a softmax followed by a log.
# Adam (:footcite:t:`kingma2015adam`) trains on batches of 32 images. ``verbose=2`` prints one
# line per epoch, whose loss is the mean over the epoch's batches. A seed fixes the initial
# weights and the order of the batches; we train from three.
import keras
import numpy as np

from dlguide.keras import get_device
from dlguide.keras.cnn import LeNet

SEED = 0
SEEDS = (0, 1, 2)
device = get_device()

histories, accuracies = [], []
for seed in SEEDS:
    keras.utils.set_random_seed(seed)
    model = LeNet(image_size=28, channels=(16, 32), num_hiddens=128, dropout=0.0)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=2e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    if seed == SEED:
        print(f"parameters: {model.count_params():,}")
        first_model = model
    print(f"seed {seed}:")
    histories.append(model.fit(x_train, y_train, epochs=EPOCHS, batch_size=32, verbose=2))
    accuracies.append(model.evaluate(x_test, y_test, batch_size=256, verbose=0)[1])
    print(f"seed {seed}: test accuracy {accuracies[-1]:.3f}")

# %%
# The training curves
# -------------------
# :func:`dlguide.plot.plot_history` accepts Keras' ``History`` object as it is. These are the
# curves of the first seed.
from dlguide.plot import plot_history

fig = plot_history(
    histories[0], title=f"Keras LeNet on {NUM_TRAIN:,} Fashion-MNIST images, seed {SEED}"
)

# %%
# Test accuracy against the baseline
# ----------------------------------
# The spread over the seeds shows how much of a difference between LeNet and the baseline is
# luck: in the run printed below, every one of the three seeds beats logistic regression, by
# more than the spread between the seeds. With this short training the margin is a few points.
import dlguide

accuracies = np.array(accuracies)
print(
    f"LeNet: {accuracies.mean():.3f} +- {accuracies.std(ddof=1):.3f} "
    f"(mean +- std over {len(SEEDS)} seeds; min {accuracies.min():.3f}, max {accuracies.max():.3f})"
    f"   logistic regression: {baseline:.3f}"
)
metrics = dlguide.report(test_accuracy=float(accuracies.mean()), baseline_accuracy=baseline)

# %%
# Some test images the network gets wrong
# ---------------------------------------
# The first twelve test images that the network of the first seed gets wrong, in file order.
# Each caption reads "answer (truth)".
import matplotlib.pyplot as plt

from dlguide.plot import show_images

predicted = first_model.predict(x_test, batch_size=256, verbose=0).argmax(axis=1)
wrong = np.flatnonzero(predicted != y_test)[:12]
labels = [
    f"{FASHION_MNIST_CLASSES[p]}\n({FASHION_MNIST_CLASSES[t]})"
    for p, t in zip(predicted[wrong], y_test[wrong])
]
fig = show_images(
    x_test[wrong, ..., 0], labels=labels, ncols=6, title="Test images the Keras LeNet gets wrong"
)

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
