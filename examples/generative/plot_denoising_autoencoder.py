"""
A denoising autoencoder on Fashion-MNIST
========================================

An autoencoder squeezes an image through a small code and rebuilds it. A *denoising* autoencoder
:footcite:p:`vincent2008extracting` is fed a corrupted image and
asked for the clean one, so it has to learn what clothes look like rather than copy pixels. We
train :class:`dlguide.torch.ConvAutoencoder` on 6,000 noisy Fashion-MNIST images
:footcite:p:`xiao2017fashion` and measure how
much closer to the clean test images its output is than the noisy input was. We train 8 epochs
on half the bundled training subset so the page builds in seconds; more data and epochs
usually give sharper reconstructions. It is one run with one seed.
"""

# %%
# Clean and noisy images
# ----------------------
# :func:`dlguide.data.load_fashion_mnist` reads the subset that ships with dlguide (nothing is
# downloaded); ``num_train=6000`` keeps 600 images of each class. :func:`dlguide.data.add_noise`
# adds Gaussian noise of standard deviation 0.4 and clips back to [0, 1]; a fixed seed makes the
# noise the same on every run. The training and test images get different noise (different
# seeds), so the network cannot memorise a noise pattern.

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

from dlguide.data import add_noise, load_fashion_mnist

SEED = 0
NOISE_STD = 0.4
(x_train, _), (x_test, y_test) = load_fashion_mnist(num_train=6000)
x_test = x_test[:1000]  # the first 1,000 test images are enough for a stable mean
x_train, x_test = x_train[:, None], x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28), channels-first
noisy_train = add_noise(x_train, std=NOISE_STD, seed=SEED)
noisy_test = add_noise(x_test, std=NOISE_STD, seed=SEED + 1)
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# Train: noisy in, clean out
# --------------------------
# The only difference from a plain autoencoder is the training pair: the input is the noisy
# image, the target the clean one, and the loss the mean squared error between the
# reconstruction and the clean image. The model has two stride-2 convolutions down to a code of
# 32 numbers and two transposed convolutions back up.
from dlguide.torch import ConvAutoencoder, fit, get_device, predict, seed_everything

seed_everything(SEED)
device = get_device()
model = ConvAutoencoder(channels=(16, 32), latent_dim=32)
history = fit(
    model, (noisy_train, x_train), epochs=8, loss="mse", metrics=None, lr=2e-3, device=device
)
print(f"training MSE per epoch: {np.round(history['loss'], 4)}")

# %%
# How much noise is gone?
# -----------------------
# The baseline is doing nothing: the mean squared error between the noisy test images and the
# clean ones. The model's score is the same error for its reconstructions. Both are means over
# every pixel of the 1,000 test images.
import dlguide

denoised = predict(model, noisy_test, device=device).numpy()  # (N, 1, 28, 28) in [0, 1]
test_mse = float(np.mean((denoised - x_test) ** 2))
noisy_mse = float(np.mean((noisy_test - x_test) ** 2))
print(f"noise removed: {1 - test_mse / noisy_mse:.0%} of the squared error")
dlguide.report(test_mse=test_mse, baseline_noisy_mse=noisy_mse)

# %%
# Noisy, denoised, clean
# ----------------------
# One test image of each class. The reconstructions are smoother than the originals: the
# network keeps the outline and the overall shading of a garment but drops fine texture and
# print (the logo on the pullover, the coat's zip), and thin or dark items such as the sandal and
# the coat come back as faint blurs. Both limits play a part: a 32-number code has little room
# for detail, and at this noise level fine detail is hard to tell from noise.
import matplotlib.pyplot as plt

from dlguide.data import FASHION_MNIST_CLASSES

columns = [int(np.flatnonzero(y_test[:1000] == c)[0]) for c in range(10)]
rows = {"noisy": noisy_test, "denoised": denoised, "clean": x_test}
fig, axes = plt.subplots(3, 10, figsize=(11, 3.8))
for r, (name, images) in enumerate(rows.items()):
    for c, i in enumerate(columns):
        axes[r, c].imshow(images[i, 0], cmap="gray", vmin=0, vmax=1)
        axes[r, c].set_xticks([])
        axes[r, c].set_yticks([])
        if r == 0:
            axes[r, c].set_title(FASHION_MNIST_CLASSES[y_test[i]], fontsize=8)
    axes[r, 0].set_ylabel(name)
fig.suptitle("Fashion-MNIST test images: noisy input, autoencoder output, clean original")
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
