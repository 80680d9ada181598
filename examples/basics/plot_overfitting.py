"""
Overfitting, dropout and early stopping
=======================================

A network with far more weights than it has training examples can learn those examples by
heart. We train a big MLP (two hidden layers of 512 units, about 300,000 weights) on only 150
digit images and watch the loss on 300 validation images: it falls, then climbs while the
training loss keeps going to zero -- the network *overfits*. Two standard remedies are
compared with it on the same data: dropout, which zeroes a random half of the hidden units at
every training step, and early stopping, which ends training when the validation loss stops
improving and keeps the best weights. The whole page trains in a few seconds on a CPU.
"""

# %%
# A small training set
# --------------------
# From the 1,347 training images we take 150 for training and 300 for validation; the 450 test
# images stay untouched until the end. So few examples make overfitting quick to see.
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
# Three ways to train the same network
# ------------------------------------
# Each run starts from the same random weights (same seed) and uses Adam (learning rate 0.003)
# for at most 100 epochs. The plain run trains all 100 epochs; the dropout run adds
# ``dropout=0.5`` after each hidden layer (Srivastava et al., 2014,
# https://jmlr.org/papers/v15/srivastava14a.html); the early-stopping run uses
# :class:`dlguide.torch.EarlyStopping` with a patience of 10 epochs.
from dlguide.torch import MLP, EarlyStopping, evaluate, fit, get_device, seed_everything

device = get_device()
EPOCHS = 100


def train_mlp(dropout: float = 0.0, callbacks=()):
    seed_everything(SEED)
    model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(512, 512), dropout=dropout)
    history = fit(
        model,
        train_data,
        validation_data=val_data,
        epochs=EPOCHS,
        lr=3e-3,
        batch_size=32,
        callbacks=callbacks,
        device=device,
    )
    return model, history


stop = EarlyStopping(monitor="val_loss", patience=10)
runs = {
    "plain": train_mlp(),
    "dropout 0.5": train_mlp(dropout=0.5),
    "early stopping": train_mlp(callbacks=[stop]),
}
print(
    f"early stopping ended after {len(runs['early stopping'][1]['loss'])} epochs, "
    f"keeping the weights of epoch {stop.best_epoch + 1}"
)

# %%
# The training curves
# -------------------
# Solid lines are the validation loss, dotted lines the training loss, on a logarithmic axis.
# The plain network drives its training loss towards zero while its validation loss stops
# improving after about ten epochs and then slowly rises: from then on it memorises. Dropout
# keeps the training loss higher (the network cannot rely on any one unit) and the validation
# loss lower. Early stopping is the plain curve cut at its minimum (the marker).
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 4))
for (name, (_, history)), colour in zip(runs.items(), ("C0", "C1", "C2"), strict=True):
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["val_loss"], color=colour, label=f"{name}: validation")
    ax.plot(epochs, history["loss"], color=colour, linestyle=":", label=f"{name}: training")
best = stop.best_epoch
ax.plot(best + 1, runs["early stopping"][1]["val_loss"][best], "o", color="C2", markersize=9)
ax.set(
    yscale="log", xlabel="epoch", ylabel="cross-entropy loss", title="A 512-512 MLP on 150 digits"
)
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=8, ncol=2, loc="lower left")
fig.tight_layout()

# %%
# Test accuracy
# -------------
# What counts is accuracy on the 450 test images. On so small a problem the three end within a
# few points of each other, and their order can change with the seed: accuracy is forgiving,
# since an overconfident network still ranks the right class first. The test loss, which
# punishes confident mistakes, separates the plain network from the two remedies more plainly.
# Early stopping also saves most of the training time; dropout needs no validation data.
import dlguide

results = {
    name: evaluate(model, (x_test, y_test), device=device) for name, (model, _) in runs.items()
}
for name, result in results.items():
    print(f"{name:>15}: test accuracy {result['accuracy']:.3f}, test loss {result['loss']:.3f}")
baseline = np.mean(y_test == np.bincount(y_train[train]).argmax())
dlguide.report(
    plain_test_accuracy=results["plain"]["accuracy"],
    dropout_test_accuracy=results["dropout 0.5"]["accuracy"],
    early_stopping_test_accuracy=results["early stopping"]["accuracy"],
    baseline_accuracy=baseline,
)

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
