"""
A GAN on a ring of eight Gaussians
==================================

A generative adversarial network :footcite:p:`goodfellow2014generative` pits
a generator, which turns random noise into samples, against a discriminator, which tries to tell
those samples from real data. Points in the plane are the cheapest place to watch the game: the
real data here are eight tight Gaussian blobs on a circle, a test popularised by
:footcite:t:`metz2017unrolled`, and we can see at a glance whether the
generator finds all eight (good) or settles on a few (*mode collapse*, the classic GAN failure).
We train :class:`dlguide.torch.Generator2D` against :class:`dlguide.torch.Discriminator2D` for
1,500 steps, a few seconds on a CPU, and count the modes the generator covers. It is one run
with one seed: GAN results vary from seed to seed, and we say below what to expect.
"""

# %%
# The real data
# -------------
# :func:`dlguide.data.make_ring_data` draws points from eight Gaussians of standard deviation
# ``STD`` centred on a circle of radius ``RADIUS``. We draw a large pool once and sample training batches
# from it.

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

from dlguide.data import make_ring_data

SEED = 0
MODES, RADIUS, STD = 8, 2.0, 0.05
real = make_ring_data(20_000, modes=MODES, radius=RADIUS, std=STD, seed=SEED)  # (20000, 2)
angles = 2 * np.pi * np.arange(MODES) / MODES
centres = RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (8, 2)

# %%
# A quality measure we can compute
# --------------------------------
# A generated point is *high quality* if it lies within three standard deviations
# (``3 * STD``) of a mode centre; nearly all real points do (the printed line below gives the
# real data's modes and fraction). A mode is *covered* if at least one generated point in a
# hundred (``share >= 0.01``) is a high-quality point of that mode; a perfect generator puts one
# point in eight in each. Both numbers only
# make sense because we know the true distribution; for images there is no such ruler, which is
# why GANs are hard to evaluate.


def ring_quality(points: np.ndarray) -> tuple[int, float]:
    """Return (modes covered, fraction of high-quality points) for generated points (N, 2)."""
    distances = np.linalg.norm(points[:, None] - centres[None], axis=2)  # (N, 8)
    good = distances.min(axis=1) < 3 * STD
    share = np.bincount(distances.argmin(axis=1)[good], minlength=MODES) / len(points)
    return int(np.sum(share >= 0.01)), float(good.mean())


print(f"real data: {ring_quality(real[:2000])}")

# %%
# Train: one discriminator step, one generator step
# -------------------------------------------------
# :func:`dlguide.torch.gan_train_step` does one step of each player on a batch: the
# discriminator learns to label real points 1 and generated points 0; the generator learns with
# the *non-saturating* loss, making the discriminator call its points real. Adam
# :footcite:p:`kingma2015adam` with ``beta1 = 0.5`` is a common GAN setting, from DCGAN
# :footcite:p:`radford2016unsupervised`, since a long momentum memory makes the two-player game
# oscillate. We keep snapshots of 2,000 generated points along the way.
import torch

from dlguide.torch import Discriminator2D, Generator2D, gan_train_step, get_device, seed_everything

seed_everything(SEED)
device = get_device()
LATENT_DIM, STEPS, BATCH = 2, 1500, 256
generator = Generator2D(latent_dim=LATENT_DIM, num_hiddens=128).to(device)
discriminator = Discriminator2D(num_hiddens=128).to(device)
g_opt = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
real_t = torch.as_tensor(real, device=device)
fixed_noise = torch.randn(2000, LATENT_DIM, device=device)  # the same noise for every snapshot
rng = np.random.default_rng(SEED)


def generate() -> np.ndarray:
    generator.eval()
    with torch.no_grad():
        return generator(fixed_noise).cpu().numpy()


snapshots = {0: generate()}
for step in range(1, STEPS + 1):
    batch = real_t[torch.as_tensor(rng.integers(len(real), size=BATCH), device=device)]
    d_loss, g_loss = gan_train_step(
        generator, discriminator, batch, g_opt, d_opt, latent_dim=LATENT_DIM
    )
    if step in (250, 750, STEPS):
        snapshots[step] = generate()
        print(
            f"step {step}: d_loss {d_loss:.3f}, g_loss {g_loss:.3f}, "
            f"(modes, quality) {ring_quality(snapshots[step])}"
        )

# %%
# Real and generated points as training goes on
# ---------------------------------------------
# At step 0 the untrained generator squeezes all noise into a small smudge. The discriminator's
# feedback first spreads the points over a wide cloud, then pulls them onto the ring, and later
# into the blobs. The points between
# blobs are the price of a continuous generator: it maps a connected noise distribution onto
# eight separate islands, so some noise always lands on the bridges between them.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, len(snapshots), figsize=(12, 3.4), sharex=True, sharey=True)
for ax, (step, points) in zip(axes, snapshots.items(), strict=True):
    ax.scatter(real[:2000, 0], real[:2000, 1], s=2, c="lightgrey", label="real")
    ax.scatter(points[:, 0], points[:, 1], s=2, c="C3", alpha=0.5, label="generated")
    modes, good = ring_quality(points)
    ax.set(title=f"step {step}: {modes}/8 modes, {good:.0%} good", aspect="equal")
axes[0].legend(loc="lower left", fontsize=8, markerscale=4)
fig.suptitle("GAN on a ring of 8 Gaussians: real points (grey) and generated points (red)")
fig.tight_layout()

# %%
# Score against a baseline
# ------------------------
# The baseline is the best single Gaussian: the mean and covariance of the real data. It spreads
# over the whole disc, so only a sliver of its points falls inside the blobs, too few per blob to
# count as covering it. The GAN should keep all eight modes and put most points inside them.
#
# Be honest about mode collapse: the numbers above come from one run. GAN training is a
# two-player game, not a minimisation, and small changes (another seed, a higher learning rate,
# a stronger discriminator, more steps) can make the generator hop between a few modes or
# abandon some for good. On 2-D data the two numbers above catch it at once; on images it is
# much harder to notice.
import dlguide

baseline = np.random.default_rng(SEED).multivariate_normal(
    real.mean(axis=0), np.cov(real.T), size=2000
)
modes, good = ring_quality(snapshots[STEPS])
baseline_modes, baseline_good = ring_quality(baseline)
dlguide.report(
    modes_covered=modes,
    high_quality_fraction=good,
    baseline_modes_covered=baseline_modes,
    baseline_high_quality_fraction=baseline_good,
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
