"""
The same MLP in Keras
=====================

The network of :ref:`sphx_glr_auto_examples_basics_plot_mlp_digits.py`, written with Keras 3:
:class:`dlguide.keras.MLP` has the same layers, the same parameter count and the same arguments as
its PyTorch twin, and Keras' own ``compile`` / ``fit`` / ``evaluate`` replace dlguide's training
loop. We train it on the 8x8 digits of the UCI optical digits data set
(:footcite:t:`alpaydin1998optical`), stop when the validation loss stops improving, and measure
it on the 450 test images, next to a majority-class baseline. This page trains once, with one
seed, to stay quick; the PyTorch twin trains three seeds and shows how much the test accuracy
moves between them.
"""

# %%
# Load the data
# -------------
# The same fixed split as the PyTorch page: 1,347 training and 450 test images, pixels in [0, 1].
# Keras takes the NumPy arrays as they are.

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

from dlguide.data import load_digits

(x_train, y_train), (x_test, y_test) = load_digits()
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# Build the network
# -----------------
# ``input_shape=(8, 8)`` lets the model flatten the images itself. The last layer outputs raw
# scores (logits), so the loss is told ``from_logits=True`` and applies the softmax itself, in a
# form that is more accurate numerically than a softmax layer followed by a log. The two must
# match: a model that ends in a softmax needs ``from_logits=False``. A softmax output with
# ``from_logits=True`` is the classic mistake: on the TensorFlow backend used here Keras notices
# it, warns and takes the logits from before the softmax, but on its other backends (and in
# PyTorch) the softmax is then applied twice and training quietly suffers.
# The optimiser is Adam (:footcite:t:`kingma2015adam`). ``summary()`` lists the layers and their
# weights and biases: (64 x 128 + 128) + (128 x 64 + 64) + (64 x 10 + 10), as many as in the
# PyTorch twin.
import keras

from dlguide.keras import MLP, get_device

SEED = 0
keras.utils.set_random_seed(SEED)
# TensorFlow's device for the footer; another Keras backend places work itself.
device = get_device() if keras.config.backend() == "tensorflow" else keras.config.backend()

model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(128, 64), input_shape=(8, 8))
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.summary()

# %%
# Train with early stopping
# -------------------------
# We hold out 270 training images for validation (the same ones as the PyTorch page) and let
# Keras' ``EarlyStopping`` (:footcite:t:`prechelt1998early`) end training once the validation
# loss has not improved for 10 epochs, then put back the weights of the best epoch.
# ``verbose=0`` keeps the page free of progress bars.
import numpy as np

rng = np.random.default_rng(SEED)
order = rng.permutation(len(x_train))
val, train = order[:270], order[270:]

stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
history = model.fit(
    x_train[train],
    y_train[train],
    validation_data=(x_train[val], y_train[val]),
    epochs=100,
    batch_size=64,
    callbacks=[stop],
    verbose=0,
)
val_loss = np.array(history.history["val_loss"])
print(f"trained {len(val_loss)} epochs; best epoch {stop.best_epoch + 1}")
print(f"validation loss: {val_loss.min():.3f} at its best, {val_loss[-1]:.3f} at the end")

# %%
# The training curves
# -------------------
# :func:`dlguide.plot.plot_history` accepts Keras' ``History`` as it is. Early stopping watches
# only the validation loss: training ended 10 epochs after its lowest value (the epochs are
# printed above).
from dlguide.plot import plot_history

fig = plot_history(history, title="Keras MLP on 8x8 digits")

# %%
# Test accuracy against a baseline
# --------------------------------
# ``evaluate`` returns the loss and then each metric given to ``compile``. Guessing the most
# common class of the training set is the floor to clear; both accuracies are printed below
# (one run, seed 0).
import dlguide

test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
baseline = np.mean(y_test == np.bincount(y_train).argmax())
print(f"majority-class baseline: {baseline:.3f}")
metrics = dlguide.report(test_accuracy=test_accuracy, baseline_accuracy=baseline)

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
import matplotlib.pyplot as plt

dlguide.footer(seed=SEED, device=device, start=start)
plt.show()

# %%
# References
# ----------
#
# .. footbibliography::
