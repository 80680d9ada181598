"""
Siamese network: verifying pairs of classes it never saw
========================================================

A classifier can only name the classes it was trained on. A Siamese network instead learns a
*distance*: it maps each image to a short vector (an embedding) with one shared network, and two
images of the same kind should land close together. That lets it answer "same or different?"
for classes that did not exist at training time, which is what face and signature verification
need :footcite:p:`bromley1993signature`. We train :class:`dlguide.torch.SiameseNetwork` with the
contrastive loss :footcite:p:`hadsell2006dimensionality` on seven Fashion-MNIST classes
:footcite:p:`xiao2017fashion`, then verify pairs from the other three and measure the ROC-AUC
next to the plain pixel distance. We train from three seeds, so that the comparison does not
rest on one lucky run. Shortcuts: 600 training images per class, three passes of 1,000 fresh
random pairs each per seed, and a small CNN with two convolution layers, so the page builds in
seconds.
"""

# %%
# Hold out three classes
# ----------------------
# We keep back one top (T-shirt/top), one shoe (Sandal) and the only accessory (Bag). None of
# their images is used for training; the network only ever sees the other seven classes.
# Which classes we hold out can matter (this page tries only one choice): a held-out class that
# resembles nothing in training, or two held-out classes that resemble each other, can make the
# task harder.

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

from dlguide.data import FASHION_MNIST_CLASSES, load_fashion_mnist

(x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=6000)
UNSEEN = (0, 5, 8)
seen = ~np.isin(y_train, UNSEEN)
unseen = np.isin(y_test, UNSEEN)
x_seen, y_seen = x_train[seen], y_train[seen]
x_new, y_new = x_test[unseen], y_test[unseen]
print(
    f"training on {len(x_seen)} images of",
    ", ".join(FASHION_MNIST_CLASSES[c] for c in sorted(set(y_seen.tolist()))),
)
print(f"testing on {len(x_new)} images of", ", ".join(FASHION_MNIST_CLASSES[c] for c in UNSEEN))

# %%
# Pairs of images
# ---------------
# :func:`dlguide.data.make_pairs` draws balanced pairs: half of the same class (``same = 1``),
# half of two different classes. The test pairs come only from the three held-out classes.
from dlguide.data import make_pairs

test_a, test_b, test_same = make_pairs(x_new, y_new, num_pairs=2000, seed=1)
print(f"{len(test_same)} test pairs, {int(test_same.sum())} of them of the same class")

# %%
# Baseline: distance between raw pixels
# -------------------------------------
# Without learning anything, we can call two images "the same" when their pixels are close.
# The ROC-AUC is the probability that a randomly chosen same-class pair is closer than a
# randomly chosen different-class pair: one half is guessing, one is perfect. It needs no
# threshold.
from sklearn.metrics import roc_auc_score

pixel_distance = np.linalg.norm((test_a - test_b).reshape(len(test_a), -1), axis=1)
pixel_auc = roc_auc_score(test_same, -pixel_distance)  # smaller distance = more likely same
print(f"pixel distance ROC-AUC on unseen classes: {pixel_auc:.3f}")

# %%
# Train with the contrastive loss
# -------------------------------
# Both images of a pair go through the *same* embedding network, so the model computes
# ``d = |f(x1) - f(x2)|``. The contrastive loss (:func:`dlguide.torch.contrastive_loss`) pulls
# same-class pairs together (``d**2 / 2``) and pushes different-class pairs apart until they are
# at least a margin of 1 away (``max(0, 1 - d)**2 / 2``). We draw fresh pairs for each pass;
# the seed sets the starting weights and the pairs.
import torch

from dlguide.torch import SiameseNetwork, contrastive_loss, get_device, seed_everything

SEED, SEEDS = 0, (0, 1, 2)
device = get_device()


def train_siamese(seed: int) -> SiameseNetwork:
    """Three passes over 1,000 fresh random pairs each; prints the mean loss of each pass."""
    seed_everything(seed)
    model = SiameseNetwork(embedding_dim=32).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        x1, x2, same = make_pairs(x_seen, y_seen, num_pairs=1000, seed=10 + 3 * seed + epoch)
        x1, x2 = torch.from_numpy(x1[:, None]), torch.from_numpy(x2[:, None])  # (N, 1, 28, 28)
        same = torch.from_numpy(same)
        model.train()
        total = 0.0
        for i in range(0, len(same), 64):
            d = model(x1[i : i + 64].to(device), x2[i : i + 64].to(device))  # (B,)
            loss = contrastive_loss(d, same[i : i + 64].to(device), margin=1.0)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(d)
        print(f"seed {seed}, pass {epoch + 1}: contrastive loss {total / len(same):.4f}")
    return model


models = [train_siamese(seed) for seed in SEEDS]

# %%
# Verification on classes never seen in training
# -----------------------------------------------
# We embed both images of every test pair (in evaluation mode, without gradients); the distance
# of a pair is then the distance of its two embeddings. The network's score moves with the seed,
# so we print it for each of the three and record the mean with :func:`dlguide.report`; the pixel
# distance has no seed.
import dlguide


@torch.no_grad()
def embed(model: SiameseNetwork, images: np.ndarray) -> np.ndarray:
    """Embeddings ``(N, 32)`` of images ``(N, 28, 28)``, 500 at a time."""
    model.eval()
    chunks = [images[i : i + 500, None] for i in range(0, len(images), 500)]  # (n, 1, 28, 28)
    return torch.cat([model.embed(torch.from_numpy(c).to(device)).cpu() for c in chunks]).numpy()


siamese_aucs, distances, new_embeddings = [], [], []
for model in models:
    new_embeddings.append(embed(model, x_new))  # (3000, 32)
    distances.append(np.linalg.norm(embed(model, test_a) - embed(model, test_b), axis=1))
    siamese_aucs.append(roc_auc_score(test_same, -distances[-1]))
siamese_auc = float(np.mean(siamese_aucs))
siamese_distance = distances[0]  # seed 0, for the histogram below
print(f"Siamese ROC-AUC on unseen classes, seeds 0-2: {np.round(siamese_aucs, 3)}")
print(f"mean {siamese_auc:.3f}, lowest {min(siamese_aucs):.3f}; pixel distance: {pixel_auc:.3f}")

# %%
# One-shot classification
# -----------------------
# Give the network a single labelled example (the *support*) of each held-out class and label
# every other held-out image by its nearest support: *one-shot* classification, the task for
# which :footcite:t:`koch2015siamese` trained Siamese networks. We repeat with 50 random choices of
# support (the same 50 for every model) and average the accuracy; chance is one in three.
rng = np.random.default_rng(SEED)
flat_new = x_new.reshape(len(x_new), -1)
spaces = {f"siamese seed {seed}": e for seed, e in zip(SEEDS, new_embeddings, strict=True)}
spaces["pixels"] = flat_new
hits = {name: [] for name in spaces}
for _ in range(50):
    support = np.array([rng.choice(np.flatnonzero(y_new == c)) for c in UNSEEN])
    query = np.setdiff1d(np.arange(len(x_new)), support)
    for name, space in spaces.items():
        dist = np.linalg.norm(space[query, None] - space[None, support], axis=2)  # (Q, 3)
        predicted = np.array(UNSEEN)[dist.argmin(axis=1)]
        hits[name].append(np.mean(predicted == y_new[query]))
for name, values in hits.items():
    print(f"3-way one-shot accuracy, {name}: {np.mean(values):.3f}")
one_shot = float(np.mean([np.mean(hits[f"siamese seed {seed}"]) for seed in SEEDS]))
one_shot_pixels = float(np.mean(hits["pixels"]))
dlguide.report(
    roc_auc=siamese_auc,
    baseline_roc_auc=pixel_auc,
    one_shot_accuracy=one_shot,
    baseline_one_shot_accuracy=one_shot_pixels,
)

# %%
# Distances of same and different pairs
# -------------------------------------
# On the left, the pixel distances of same-class and different-class pairs overlap widely. On
# the right, the learned distances of the seed-0 network, which never saw a T-shirt, a sandal
# or a bag; compare its ROC-AUC, and the three seeds' printed above, with the pixels'. Where the
# two histograms still overlap, no distance threshold can tell same from different: that
# overlap is where the network errs.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
for ax, distance, name, auc in (
    (axes[0], pixel_distance, "raw pixels", pixel_auc),
    (axes[1], siamese_distance, "Siamese embedding, seed 0", siamese_aucs[0]),
):
    bins = np.linspace(0, distance.max(), 40)
    ax.hist(distance[test_same == 1], bins=bins, alpha=0.6, label="same class")
    ax.hist(distance[test_same == 0], bins=bins, alpha=0.6, label="different classes")
    ax.set(xlabel="distance", ylabel="pairs", title=f"{name} (ROC-AUC {auc:.2f})")
    ax.legend()
fig.suptitle("Distances of 2,000 test pairs from three classes unseen in training")
fig.tight_layout()

# %%
# Footer
# ------
dlguide.footer(seed=SEED, device=device, start=start)
plt.show()

# %%
# References
# ----------
#
# .. footbibliography::
