"""
LeNet on Fashion-MNIST with Keras
=================================

The Keras twin of :ref:`sphx_glr_auto_examples_vision_plot_cnn_fashion_mnist.py`: the same
LeNet-style network (:class:`dlguide.keras.LeNet`: two convolution blocks and a hidden layer, a
simplified form of the network of :footcite:t:`lecun1998gradient`) learns to sort the 28x28
photos of clothing of Fashion-MNIST (:footcite:t:`xiao2017fashion`) into 10 classes and is
measured on the 10,000 official test images. The baseline, logistic regression on the raw
pixels, does not depend on the framework: the PyTorch twin fits it and prints its accuracy, and
this page does not fit it again. To keep the page fast we train a narrow LeNet (8 and 16
filters, half the width of the one in the chapter :doc:`/chapters/convolutional-networks`) on
4,000 of the images bundled with dlguide for 3 epochs, three times with different seeds; a wider
network, more data and more epochs do better (not measured by this page).
"""

# %%
# Load the data
# -------------
# Keras wants images channels last, ``(N, H, W, C)``, so the channel axis goes at the end (the
# PyTorch page puts it second). Keras 3 fixes its backend when it is first imported: TensorFlow,
# unless you chose another one (the ``KERAS_BACKEND`` environment variable, or the ``"backend"``
# entry of ``~/.keras/keras.json``). ``dlguide.keras``, if imported before Keras, sets
# ``KERAS_BACKEND`` to TensorFlow unless that variable is already set, so a backend chosen in the
# variable stands but one chosen only in ``keras.json`` is overridden (the variable wins).

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[keras], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import time

start = time.perf_counter()

from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist

NUM_TRAIN, EPOCHS = 4000, 3
(x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=NUM_TRAIN)
x_train, x_test = x_train[..., None], x_test[..., None]  # (N, 28, 28) -> (N, 28, 28, 1)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# The baseline is on the PyTorch page
# -----------------------------------
# Logistic regression on the raw pixels sees 784 independent numbers and no neighbourhoods. It
# involves no Keras: the PyTorch twin fits it with scikit-learn on the same 4,000 training
# images, scores it on the same 10,000 test images and prints the result, and the fit is
# deterministic. We do not repeat it here; compare the accuracies below with the one printed
# there.

# %%
# Build, compile and train LeNet, three seeds
# -------------------------------------------
# The model is a functional Keras model. The last layer returns logits (no softmax), so the loss
# is told ``from_logits=True``; that is numerically safer than a softmax followed by a log.
# Adam (:footcite:t:`kingma2015adam`) trains on batches of 32 images. ``verbose=2`` prints one
# line per epoch, whose loss is the mean over the epoch's batches. A seed fixes the initial
# weights and the order of the batches; we train from three. We keep each network's answers on
# the test images: its accuracy is the fraction it gets right, and the answers of the first
# seed feed the figure of mistakes below.
import keras
import numpy as np

from dlguide.keras import get_device
from dlguide.keras.cnn import LeNet

SEED = 0
SEEDS = (0, 1, 2)
# TensorFlow's device for the footer; another Keras backend places work itself.
device = get_device() if keras.config.backend() == "tensorflow" else keras.config.backend()

histories, accuracies = [], []
for seed in SEEDS:
    keras.utils.set_random_seed(seed)
    model = LeNet(image_size=28, channels=(8, 16), num_hiddens=128, dropout=0.0)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    if seed == SEED:
        print(f"parameters: {model.count_params():,}")
    print(f"seed {seed}:")
    histories.append(model.fit(x_train, y_train, epochs=EPOCHS, batch_size=32, verbose=2))
    predicted = model.predict(x_test, batch_size=256, verbose=0).argmax(axis=1)  # (10000,)
    if seed == SEED:
        first_predicted = predicted
    accuracies.append(float(np.mean(predicted == y_test)))
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
# Test accuracy over the seeds
# ----------------------------
# The spread over the seeds shows how much of a difference between two networks is luck: set
# the mean and the spread printed below beside the PyTorch twin's line, which also prints the
# logistic-regression baseline. That page trains the same network on the same data with the
# same recipe, but its numbers are not the same: each framework draws the initial weights with
# its own default scheme (Keras: Glorot-uniform weights, :footcite:p:`glorot2010understanding`,
# and zero biases; PyTorch: weights and biases uniform within
# :math:`\pm 1/\sqrt{\text{fan-in}}`) and shuffles the batches with its own generator, and the
# two Adams differ slightly in their default ``epsilon`` and in where it enters the update. A gap
# between the two pages' means reflects these defaults and luck, not which framework trains better.
import dlguide

accuracies = np.array(accuracies)
print(
    f"LeNet: {accuracies.mean():.3f} +- {accuracies.std(ddof=1):.3f} "
    f"(mean +- std over {len(SEEDS)} seeds; min {accuracies.min():.3f}, max {accuracies.max():.3f})"
)
metrics = dlguide.report(test_accuracy=float(accuracies.mean()))

# %%
# Some test images the network gets wrong
# ---------------------------------------
# The first twelve test images that the network of the first seed gets wrong, in file order.
# Each caption reads "answer (truth)".
import matplotlib.pyplot as plt

from dlguide.plot import show_images

wrong = np.flatnonzero(first_predicted != y_test)[:12]
labels = [
    f"{FASHION_MNIST_CLASSES[p]}\n({FASHION_MNIST_CLASSES[t]})"
    for p, t in zip(first_predicted[wrong], y_test[wrong])
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
