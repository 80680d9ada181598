"""
Overfitting, dropout and early stopping
=======================================

A network with far more weights than it has training examples can learn those examples by
heart. We train a big MLP (two hidden layers of 512 units; its weight count is printed below) on
only 150 images of the UCI optical digits (:footcite:t:`alpaydin1998optical`) and watch the loss
on 300 validation images: it falls, then climbs while the training loss keeps going towards zero
-- the network *overfits*. Two standard remedies are compared with it on the same data: dropout
(:footcite:t:`srivastava2014dropout`), which zeroes each hidden unit with probability one half
at every training step, and early stopping (:footcite:t:`prechelt1998early`), which ends
training when the validation loss stops improving and keeps the best weights. Every variant is
trained from three seeds. To keep the page quick we train at most 60 epochs; the plain network
has overfitted long before that.
"""

# %%
# A small training set
# --------------------
# From the 1,347 training images we take 150 for training and 300 for validation; the 450 test
# images stay untouched until the end. So few examples make overfitting quick to see.

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

from dlguide.data import load_digits

SEED = 0
(x_train, y_train), (x_test, y_test) = load_digits()
order = np.random.default_rng(SEED).permutation(len(x_train))
train, val = order[:150], order[150:450]
train_data = (x_train[train], y_train[train])
val_data = (x_train[val], y_train[val])
print(f"training on {len(train)} images, validating on {len(val)}, testing on {len(x_test)}")

# %%
# Measuring the training loss fairly
# ----------------------------------
# ``fit`` records each epoch's training loss as the mean over that epoch's batches, computed
# while the network trains -- with dropout switched on for the dropout run. That number is not
# comparable with a network without dropout, which is judged with all its units. So a small
# callback measures the loss on the training images again at the end of every epoch, in
# evaluation mode (dropout off), as the validation loss is measured.
from dlguide.torch import Callback, evaluate


class TrainingLossWithoutDropout(Callback):
    """Record the loss on the training data in evaluation mode after every epoch."""

    def __init__(self, data):
        self.data, self.losses = data, []

    def on_epoch_end(self, epoch, logs, model):
        self.losses.append(
            evaluate(model, self.data, device=next(model.parameters()).device)["loss"]
        )


# %%
# Three ways to train the same network, three seeds each
# ------------------------------------------------------
# Each run uses Adam (:footcite:t:`kingma2015adam`, ``lr=3e-3``) on batches of 50 for at
# most 60 epochs. The plain run trains all 60; the dropout run adds ``dropout=0.5`` after each
# hidden layer; the early-stopping run uses :class:`dlguide.torch.EarlyStopping` with a patience
# of 10 epochs and puts back the weights of its best epoch. A seed fixes the initial weights, the
# order of the batches and the dropout masks; for a given seed the plain and the early-stopping
# run start identically.
from dlguide.torch import MLP, EarlyStopping, fit, get_device, seed_everything

device = get_device()
EPOCHS, SEEDS = 60, (0, 1, 2)
VARIANTS = ("plain", "dropout 0.5", "early stopping")


def train_mlp(variant: str, seed: int):
    """Train one variant from one seed; return the model, its history and the stopper."""
    seed_everything(seed)
    dropout = 0.5 if variant == "dropout 0.5" else 0.0
    model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(512, 512), dropout=dropout)
    clean = TrainingLossWithoutDropout(train_data)
    stop = EarlyStopping(monitor="val_loss", patience=10) if variant == "early stopping" else None
    history = fit(
        model,
        train_data,
        validation_data=val_data,
        epochs=EPOCHS,
        lr=3e-3,
        batch_size=50,
        callbacks=[clean] + ([stop] if stop else []),
        device=device,
        seed=seed,
    )
    history["clean_loss"] = clean.losses
    return model, history, stop


runs = {(variant, seed): train_mlp(variant, seed) for variant in VARIANTS for seed in SEEDS}
num_weights = sum(p.numel() for p in runs["plain", SEED][0].parameters())
print(f"parameters of the MLP: {num_weights:,}")
for seed in SEEDS:
    _, history, stop = runs["early stopping", seed]
    print(
        f"seed {seed}: early stopping ended after {len(history['loss'])} epochs, "
        f"keeping the weights of epoch {stop.best_epoch + 1}"
    )

# %%
# The training curves
# -------------------
# Seed 0. Solid lines are the validation loss, dotted lines the training loss measured with
# dropout off, on a logarithmic axis; the marker is where early stopping found its best epoch.
# The early-stopping run is identical to the plain one until it stops, so its green lines hide
# the plain network's blue ones up to that epoch. The plain network drives its training loss
# towards zero while its validation loss reaches a minimum early and then rises. The numbers
# below the figure give, for every seed, the epoch of that minimum and the rise after it.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 4))
for variant, colour in zip(VARIANTS, ("C0", "C1", "C2"), strict=True):
    _, history, _ = runs[variant, SEED]
    epochs = np.arange(1, len(history["val_loss"]) + 1)
    ax.plot(epochs, history["val_loss"], color=colour, label=f"{variant}: validation")
    ax.plot(
        epochs, history["clean_loss"], color=colour, linestyle=":", label=f"{variant}: training"
    )
_, early_history, early_stop = runs["early stopping", SEED]
best = early_stop.best_epoch
ax.plot(best + 1, early_history["val_loss"][best], "o", color="C2", markersize=9)
ax.set(
    yscale="log", xlabel="epoch", ylabel="cross-entropy loss", title="A 512-512 MLP on 150 digits"
)
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=8, ncol=2, loc="lower left")
fig.tight_layout()

for seed in SEEDS:
    val_loss = np.array(runs["plain", seed][1]["val_loss"])
    val_accuracy = np.array(runs["plain", seed][1]["val_accuracy"])
    lowest = val_loss.argmin()
    print(
        f"plain, seed {seed}: validation loss lowest at epoch {lowest + 1} ({val_loss[lowest]:.3f}), "
        f"{val_loss[-1]:.3f} at epoch {EPOCHS}; validation accuracy {val_accuracy[lowest]:.3f} "
        f"then, {val_accuracy[-1]:.3f} at epoch {EPOCHS}"
    )

# %%
# Test accuracy and test loss, three seeds
# ----------------------------------------
# What counts is the result on the 450 test images. For each variant we print the mean over the
# three seeds and, in brackets, the smallest and largest value, for the accuracy, the loss (which
# punishes confident mistakes) and the training loss with dropout off. Read the differences
# against those ranges: with three seeds and 450 test images, a gap smaller than the spread is
# not a result.
import dlguide

results = {}
for variant in VARIANTS:
    tests = [evaluate(runs[variant, seed][0], (x_test, y_test), device=device) for seed in SEEDS]
    trains = [evaluate(runs[variant, seed][0], train_data, device=device) for seed in SEEDS]
    accuracy = np.array([t["accuracy"] for t in tests])
    loss = np.array([t["loss"] for t in tests])
    train_loss = np.array([t["loss"] for t in trains])
    results[variant] = accuracy, loss
    print(
        f"{variant:>15}: test accuracy {accuracy.mean():.3f} ({accuracy.min():.3f}-{accuracy.max():.3f}), "
        f"test loss {loss.mean():.3f} ({loss.min():.3f}-{loss.max():.3f}), "
        f"training loss {train_loss.mean():.4f} ({train_loss.min():.4f}-{train_loss.max():.4f})"
    )
baseline = np.mean(y_test == np.bincount(y_train[train]).argmax())
print(f"majority-class baseline: {baseline:.3f}")
metrics = dlguide.report(
    plain_test_accuracy=results["plain"][0].mean(),
    dropout_test_accuracy=results["dropout 0.5"][0].mean(),
    early_stopping_test_accuracy=results["early stopping"][0].mean(),
    plain_test_loss=results["plain"][1].mean(),
    dropout_test_loss=results["dropout 0.5"][1].mean(),
    early_stopping_test_loss=results["early stopping"][1].mean(),
    baseline_accuracy=baseline,
)

# %%
# What the numbers say
# --------------------
# On this problem the three variants are hard to tell apart: compare the ranges printed above
# -- where the ranges of two variants overlap, three seeds cannot rank them. Dropout's
# training loss, measured with dropout off, also stays close to the plain network's. The plain
# network's validation loss does rise after its minimum, but only a little, and its validation
# accuracy does not fall: it grows more confident without getting more validation images wrong.
# Early stopping's practical gain here is that it ends training after fewer than half of the
# epochs (printed above), with results in the same range. With 150 clean images this task is
# not hard enough for the remedies to show a clear effect; the chapter :doc:`/chapters/how-networks-learn`
# runs the same comparison on 100 images, where dropout and early stopping lower the test loss
# for every seed, and shows that more data helps more than either.

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
