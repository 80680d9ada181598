"""
A first network: an MLP on handwritten digits
=============================================

We train a multilayer perceptron (:footcite:t:`rumelhart1986learning`),
:class:`dlguide.torch.MLP`, to read the 8x8 handwritten digits of the UCI optical digits data set
(:footcite:t:`alpaydin1998optical`) and measure it on 450 test images it never saw, next to a
baseline that always guesses the most common class. The data set is small (1,347 training
images) and so is the network (two hidden layers), so the page builds quickly on a CPU; we train
the final network from three seeds to see how much its accuracy depends on the draw.
"""

# %%
# Load the data
# -------------
# :func:`dlguide.data.load_digits` returns a fixed, stratified train/test split of the copy of
# the digits that ships with scikit-learn, with pixels scaled to [0, 1]. Nothing is downloaded.

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

from dlguide.data import load_digits

(x_train, y_train), (x_test, y_test) = load_digits()
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# Choose the number of epochs on validation data
# ----------------------------------------------
# ``get_device()`` picks a CUDA GPU, then Apple's MPS, then the CPU. We hold out 270 of the
# training images (a fifth) as validation data and train with Adam
# (:footcite:t:`kingma2015adam`) until the validation loss has not improved for 10 epochs
# (early stopping, :footcite:t:`prechelt1998early`; :class:`dlguide.torch.EarlyStopping`). The
# test images play no part in this choice.
import numpy as np

from dlguide.torch import MLP, EarlyStopping, evaluate, fit, get_device, seed_everything

SEED = 0
seed_everything(SEED)
device = get_device()
rng = np.random.default_rng(SEED)
order = rng.permutation(len(x_train))
val, train = order[:270], order[270:]

model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(128, 64))
stop = EarlyStopping(monitor="val_loss", patience=10)
history = fit(
    model,
    (x_train[train], y_train[train]),
    validation_data=(x_train[val], y_train[val]),
    epochs=100,
    lr=1e-3,
    callbacks=[stop],
    device=device,
)
best_epochs = stop.best_epoch + 1
val_loss, val_accuracy = np.array(history["val_loss"]), np.array(history["val_accuracy"])
print(f"trained {len(val_loss)} epochs; the validation loss was lowest after {best_epochs}")
print(
    f"validation loss:     {val_loss[best_epochs - 1]:.3f} at its best, {val_loss[-1]:.3f} at the end"
)
print(
    f"validation accuracy: {val_accuracy[best_epochs - 1]:.3f} then, {val_accuracy[-1]:.3f} at the end"
)

# %%
# The training curves
# -------------------
# The loss falls on both sets. The validation loss then flattens and stops improving while the
# training loss keeps falling, and early stopping ends the run 10 epochs after the best
# validation loss. Compare the values printed above: after its minimum the validation loss
# hardly rises and the validation accuracy hardly moves, so there is little overfitting to see
# with this much data; :ref:`sphx_glr_auto_examples_basics_plot_overfitting.py` provokes it
# with far fewer images. :func:`dlguide.plot.plot_history` draws any Keras-style history.
from dlguide.plot import plot_history

fig = plot_history(history, title="MLP on 8x8 digits")

# %%
# Train on every training image, three seeds
# ------------------------------------------
# With the number of epochs chosen, the 270 validation images have done their job: we train
# fresh networks on all 1,347 training images for that many epochs, so that no labelled image
# is wasted. (An epoch now holds a quarter more images, so the networks take about a quarter more
# steps than in the run that chose the number: a common, mild approximation.) Each seed gives
# other initial weights and another order of the batches.
SEEDS = (0, 1, 2)
models, accuracies = [], []
for seed in SEEDS:
    seed_everything(seed)
    final = MLP(num_inputs=64, num_outputs=10, num_hiddens=(128, 64))
    fit(final, (x_train, y_train), epochs=best_epochs, lr=1e-3, device=device, seed=seed)
    models.append(final)
    accuracies.append(evaluate(final, (x_test, y_test), device=device)["accuracy"])
    print(f"seed {seed}: test accuracy {accuracies[-1]:.3f}")

# %%
# Test accuracy against a baseline
# --------------------------------
# Guessing the most common class of the training set is the floor any model must clear; its
# accuracy is printed below, next to the mean and the spread of the three networks.
# :func:`dlguide.report` prints the metrics and records them in the site's build report.
import dlguide

baseline = np.mean(y_test == np.bincount(y_train).argmax())
print(f"majority-class baseline: {baseline:.3f}")
print(
    f"MLP over {len(SEEDS)} seeds: mean {np.mean(accuracies):.3f}, "
    f"from {np.min(accuracies):.3f} to {np.max(accuracies):.3f}"
)
metrics = dlguide.report(
    test_accuracy=float(np.mean(accuracies)),
    test_accuracy_spread=float(np.max(accuracies) - np.min(accuracies)),
    baseline_accuracy=baseline,
)

# %%
# A few test images with the network's answer
# -------------------------------------------
# The network of seed 0; each label reads "predicted (true)".
from dlguide.plot import show_images
from dlguide.torch import predict

predicted = predict(models[0], x_test[:16], device=device).argmax(dim=1).numpy()
fig = show_images(
    x_test[:16], labels=[f"{p} ({t})" for p, t in zip(predicted, y_test[:16], strict=True)]
)

# %%
# Footer
# ------
# The first seed, library versions, device and wall time of this run.
import matplotlib.pyplot as plt

dlguide.footer(seed=SEED, device=device, start=start)
plt.show()

# %%
# References
# ----------
#
# .. footbibliography::
