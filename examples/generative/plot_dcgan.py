"""
A DCGAN that draws sneakers
===========================

Generative adversarial networks :footcite:p:`goodfellow2014generative` had already drawn
images, for instance with a pyramid of GANs that adds detail scale by scale (LAPGAN,
:footcite:t:`denton2015deep`), when DCGAN :footcite:p:`radford2016unsupervised` gave a simple
recipe under which a single deep convolutional GAN trained stably across the range of data sets
its authors tried: a
generator of transposed convolutions with batch normalisation, a convolutional discriminator
with leaky ReLUs, and Adam
:footcite:p:`kingma2015adam` with ``beta1 = 0.5``. We train
:class:`dlguide.torch.DCGANGenerator` against
:class:`dlguide.torch.DCGANDiscriminator` on one Fashion-MNIST class :footcite:p:`xiao2017fashion`,
sneakers, and judge the result with a classifier that was trained elsewhere: the LeNet
:footcite:p:`lecun1998gradient` that ships with dlguide. The official training set has 6,000
sneakers; we use the 1,200 bundled with dlguide and train 10 epochs (180 steps of each
network), so the page builds in seconds and the sneakers stay blurry. It is one run with one
seed.
"""

# %%
# One class, scaled to [-1, 1]
# ----------------------------
# The generator ends in a tanh, so the real images are scaled from [0, 1] to [-1, 1] to match.
# Channels come first, as everywhere in PyTorch: ``(N, 1, 28, 28)``.

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
import torch

from dlguide.data import FASHION_MNIST_CLASSES, load_fashion_mnist

SEED = 0
CLASS = FASHION_MNIST_CLASSES.index("Sneaker")
(x_train, y_train), (x_test, y_test) = load_fashion_mnist()
real = x_train[y_train == CLASS][:, None]  # (1200, 1, 28, 28) in [0, 1]
real_test = x_test[y_test == CLASS][:, None]  # (1000, 1, 28, 28), used only for the metric
print(f"training sneakers: {real.shape}")

# %%
# A judge trained elsewhere
# -------------------------
# There is no exact likelihood to report for a GAN. A common proxy, in the spirit of the
# Inception score :footcite:p:`salimans2016improved`, asks a classifier trained on real images:
# :func:`dlguide.torch.pretrained_lenet` was trained on all ten Fashion-MNIST
# classes (its test accuracy is printed below). Its mean probability for "sneaker" on generated images, next to
# the same number on real test sneakers, says whether the samples look like the class to a
# network; an untrained generator is the baseline.
from dlguide.torch import pretrained_lenet

judge = pretrained_lenet()


def class_confidence(images: torch.Tensor) -> float:
    """Mean LeNet probability of the sneaker class for images (N, 1, 28, 28) in [0, 1]."""
    with torch.no_grad():
        return torch.softmax(judge(images.cpu()), dim=1)[:, CLASS].mean().item()


with torch.no_grad():
    judge_accuracy = (
        judge(torch.as_tensor(x_test[:, None])).argmax(dim=1).numpy() == y_test
    ).mean()
real_confidence = class_confidence(torch.as_tensor(real_test))
print(f"LeNet's accuracy on the 10-class test set: {judge_accuracy:.3f}")
print(f"LeNet's confidence on real test sneakers: {real_confidence:.3f}")

# %%
# Train the two networks against each other
# -----------------------------------------
# Each step of :func:`dlguide.torch.gan_train_step` updates the discriminator on a batch of
# real and generated sneakers, then the generator with the non-saturating loss. We track the
# judge's confidence on the same 256 noise vectors after every epoch.
#
# The learning rate departs from the paper on purpose. :footcite:t:`radford2016unsupervised`
# used Adam with a learning rate of 0.0002 and ``beta1 = 0.5``; we keep ``beta1`` and take ten
# times the rate, ``LR = 2e-3``, because this run has only 180 steps per network where the
# paper trained for epochs over far larger data sets. Larger steps make each update count at
# some cost in stability; set ``LR = 2e-4`` to see how far the paper's rate gets in 180 steps.
from dlguide.torch import (
    DCGANDiscriminator,
    DCGANGenerator,
    gan_train_step,
    get_device,
    seed_everything,
)

seed_everything(SEED)
device = get_device()
LATENT_DIM, EPOCHS, BATCH = 64, 10, 64
LR = 2e-3  # ten times DCGAN's 2e-4: only 180 steps here (see the text above)
generator = DCGANGenerator(latent_dim=LATENT_DIM, channels=(64, 32)).to(device)
discriminator = DCGANDiscriminator(channels=(32, 64)).to(device)
g_opt = torch.optim.Adam(generator.parameters(), lr=LR, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(discriminator.parameters(), lr=LR, betas=(0.5, 0.999))
fixed_noise = torch.randn(256, LATENT_DIM, device=device)
data = torch.as_tensor(real * 2 - 1, device=device)  # [0, 1] -> [-1, 1]
rng = np.random.default_rng(SEED)


def generate() -> torch.Tensor:
    generator.eval()  # batch normalisation uses its running statistics
    with torch.no_grad():
        return (generator(fixed_noise) + 1) / 2  # (256, 1, 28, 28), [-1, 1] -> [0, 1]


confidences = [class_confidence(generate())]
for epoch in range(EPOCHS):
    order = torch.as_tensor(rng.permutation(len(data)), device=device)
    losses = []  # (d_loss, g_loss) of each step; every batch has BATCH images
    for first in range(0, len(data) - BATCH + 1, BATCH):  # drop the last, smaller batch
        losses.append(
            gan_train_step(
                generator,
                discriminator,
                data[order[first : first + BATCH]],
                g_opt,
                d_opt,
                latent_dim=LATENT_DIM,
            )
        )
    d_loss, g_loss = np.mean(losses, axis=0)  # the epoch's mean losses
    confidences.append(class_confidence(generate()))
    print(
        f"epoch {epoch + 1}: d_loss {d_loss:.2f}, g_loss {g_loss:.2f}, "
        f"judge's confidence {confidences[-1]:.3f}"
    )

# %%
# The score, and what it misses
# -----------------------------
# In the first epochs the discriminator wins easily (in the printed losses, each the mean over
# an epoch's batches, its loss is small and the generator's large): telling blobs
# from shoes is simple. The non-saturating loss is designed to keep the generator's gradient
# large in exactly that situation, and in this run the generator catches up within a few epochs
# (this run does not compare it with the minimax loss).
#
# The judge's confidence rewards images that look like a typical sneaker, but not variety: a
# generator that drew the same good sneaker 256 times would score well. So we also compare the
# mean pixel distance between pairs of generated images with the same number for real ones; if
# it is much smaller, the generator has collapsed onto a few images. The test is one-sided:
# grain and noise also push images apart in pixel space, so a generated distance close to the
# real one does not prove variety. Look at the samples below as well: in this run they are
# grainy and much alike, nearly all the same low shoe, while the real sneakers vary more in
# shape and shading.
import dlguide

fake = generate().cpu()


def diversity(images: torch.Tensor) -> float:
    """Mean Euclidean distance between all pairs of images, in pixel space."""
    flat = images.reshape(len(images), -1)
    return torch.pdist(flat).mean().item()


dlguide.report(
    generated_confidence=confidences[-1],
    real_confidence=real_confidence,
    baseline_untrained_confidence=confidences[0],
    generated_pairwise_distance=diversity(fake),
    real_pairwise_distance=diversity(torch.as_tensor(real_test[:256])),
)

# %%
# Generated and real sneakers
# ---------------------------
# The generated shoes have the outline and the bright upper of a low sneaker, but they are grainy,
# often with a faint checkerboard texture (a known artefact of stride-2 transposed convolutions,
# :footcite:t:`odena2016deconvolution`),
# and fine details such as laces and soles are missing or smeared. More data, more epochs and
# wider networks usually sharpen them; GANs trained at scale produce photographic faces
# :footcite:p:`karras2018progressive`.
import matplotlib.pyplot as plt

fig = plt.figure(figsize=(12, 4.8))
grids = fig.add_gridspec(1, 3, width_ratios=[1, 1, 0.9], wspace=0.3)
for column, (images, title) in enumerate(((fake, "generated"), (real_test, "real (test)"))):
    axes = grids[column].subgridspec(5, 5, wspace=0.05, hspace=0.05).subplots()
    for ax, image in zip(axes.flat, images[:25], strict=True):
        ax.imshow(image[0], cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
    axes[0, 2].set_title(title)
ax = fig.add_subplot(grids[2])
ax.plot(range(EPOCHS + 1), confidences, marker="o", label="generated")
ax.axhline(real_confidence, color="grey", linestyle="--", label="real test sneakers")
ax.set(xlabel="epoch", ylabel="LeNet's P(sneaker)", ylim=(0, 1), title="judge's confidence")
ax.legend(loc="lower right")
_ = fig.suptitle(
    "DCGAN on 1,200 Fashion-MNIST sneakers: generated vs real images, and a "
    "classifier's confidence per epoch"
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
