"""
LeNet on Fashion-MNIST with Keras
=================================

The Keras twin of :ref:`sphx_glr_auto_examples_vision_plot_cnn_fashion_mnist.py`: the same
LeNet-style network (:class:`dlguide.keras.LeNet`, two convolution blocks and a hidden layer)
learns to sort 28x28 photos of clothing into 10 classes and is measured on the 10,000 official
test images against logistic regression on the raw pixels. As there, we train on the 12,000
images bundled with dlguide for 8 epochs so the page builds quickly; more data and epochs do
better (not measured by this page).
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

(x_train, y_train), (x_test, y_test) = load_fashion_mnist()
x_train, x_test = x_train[..., None], x_test[..., None]  # (N, 28, 28) -> (N, 28, 28, 1)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# A baseline: logistic regression on pixels
# -----------------------------------------
# The linear model sees 784 independent numbers and no neighbourhoods. We stop its solver after
# 100 iterations, which is about as good as running to convergence here.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # we stop the solver early on purpose
    logistic = LogisticRegression(max_iter=100).fit(x_train.reshape(len(x_train), -1), y_train)
baseline = logistic.score(x_test.reshape(len(x_test), -1), y_test)
print(f"logistic regression on pixels: {baseline:.3f}")

# %%
# Build, compile and train LeNet
# ------------------------------
# The model is a functional Keras model. The last layer returns logits (no softmax), so the loss
# is told ``from_logits=True``; that is numerically safer than a softmax followed by a log.
# ``verbose=2`` prints one line per epoch.
import keras

from dlguide.keras import get_device
from dlguide.keras.cnn import LeNet

SEED = 0
keras.utils.set_random_seed(SEED)
device = get_device()

model = LeNet(image_size=28, channels=(16, 32), num_hiddens=128, dropout=0.3)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=2e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
print(f"parameters: {model.count_params():,}")
history = model.fit(x_train, y_train, epochs=8, batch_size=64, verbose=2)

# %%
# The training curves
# -------------------
# :func:`dlguide.plot.plot_history` accepts Keras' ``History`` object as it is.
from dlguide.plot import plot_history

fig = plot_history(history, title="Keras LeNet on 12,000 Fashion-MNIST images")

# %%
# Test accuracy against the baseline
# ----------------------------------
import dlguide

test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
print(f"LeNet: {test_accuracy:.3f}   logistic regression: {baseline:.3f}")
dlguide.report(test_accuracy=test_accuracy, baseline_accuracy=baseline)

# %%
# Some test images the network gets wrong
# ---------------------------------------
# Most mistakes are between classes that a person could also mix up at 28x28 pixels, such as
# a shirt and a T-shirt. Each caption reads "answer (truth)".
import numpy as np

from dlguide.plot import show_images

predicted = model.predict(x_test, batch_size=256, verbose=0).argmax(axis=1)
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
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
