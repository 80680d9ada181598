"""
Residual connections: a ResNet against the same network without skips
======================================================================

Stacking more layers should never raise the training error in principle: the extra layers could
learn to pass their input through unchanged. In practice :footcite:t:`he2016deep` found that deep
*plain* networks train worse than shallower ones, the degradation problem, and fixed it with
shortcut connections that add a block's input to its output. We train two 20-layer networks that
differ only in those shortcuts, :class:`dlguide.torch.ResNet` with ``skip=True`` and
``skip=False``, on Fashion-MNIST (:footcite:t:`xiao2017fashion`), each with three seeds. To keep
the page fast, we cut corners: 300 training images, 3 epochs in batches of 16, narrow stages (8,
16, 32 channels) and 500 test images, so the six trainings fit in a page that builds in seconds.
He et al. found the gap between the two growing with depth; this page, at one depth, does not
measure that.
"""

# %%
# The data
# --------
# The first 30 training images of each class, and the first 500 official test images.

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

from dlguide.data.fashion_mnist import load_fashion_mnist

(x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=300)
x_train, x_test = x_train[:, None], x_test[:500, None]  # (N, 28, 28) -> (N, 1, 28, 28)
y_test = y_test[:500]
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# Two networks of the same depth
# ------------------------------
# Three stages of three blocks, each block two 3x3 convolutions with batch normalization
# (:footcite:t:`ioffe2015batch`: during training each channel is normalised with the mean and
# variance of the mini-batch, then scaled and shifted by two learned parameters), plus
# the first convolution and the output layer: 20 weight layers. The residual block returns
# ``relu(F(x) + x)``, the plain one ``relu(F(x))``. Where a stage halves the image, the shortcut
# is a 1x1 convolution with batch normalization; these projections are the only parameters the
# plain network lacks.
import torch

from dlguide.torch import get_device, seed_everything
from dlguide.torch.resnet import ResNet

SEED = 0
device = get_device()
models = {}
for name, skip in (("ResNet-20", True), ("plain-20", False)):
    seed_everything(SEED)
    models[name] = ResNet(widths=(8, 16, 32), blocks_per_stage=3, skip=skip)
    print(f"{name}: {sum(p.numel() for p in models[name].parameters()):,} parameters")

# %%
# Gradients at the start of training
# ----------------------------------
# Why do shortcuts help? The gradient of the loss reaches block :math:`l` through every block
# above it. In a plain network it is multiplied by each block's Jacobian on the way down; with
# a shortcut, :math:`\partial(x + F(x))/\partial x = I + \partial F/\partial x`, so the identity
# term carries the signal past the blocks (:footcite:t:`he2016identity` develop this argument;
# in the blocks here a ReLU follows the sum, so the path is an exact identity only where the sum
# is positive). But :footcite:t:`he2016deep` also checked their plain networks: with batch
# normalization, the gradients do *not* vanish, and they conjectured that deep plain networks
# are instead very slow to optimize. One backward pass on a batch at initialization (seed 0)
# lets us look here: the plot shows the gradient norm of the first convolution's weights in
# each block of either network. In this run the plain network's gradients do not vanish
# either: near the input they are larger than the residual network's, not smaller. At least at
# the start of training, vanishing gradients cannot explain the gap in training loss below.
import matplotlib.pyplot as plt
import numpy as np
from torch.nn import functional as F

batch_x = torch.from_numpy(x_train[:128]).to(device)
batch_y = torch.from_numpy(y_train[:128]).to(device)
fig, ax = plt.subplots(figsize=(6, 3.4))
for name, model in models.items():
    model.to(device).train()
    model.zero_grad()
    F.cross_entropy(model(batch_x), batch_y).backward()
    blocks = [m for m in model.features if hasattr(m, "conv1")]  # the 9 blocks, input to output
    norms = [block.conv1.weight.grad.norm().item() for block in blocks]
    ax.plot(np.arange(1, len(norms) + 1), norms, marker="o", label=name)
    model.zero_grad()
ax.set_yscale("log")
ax.set_xlabel("block (1 = next to the input)")
ax.set_ylabel("gradient norm, first conv")
fig.suptitle("Gradient reaching each block at initialization")
ax.legend()
fig.tight_layout()

# %%
# Train both, three seeds each
# ----------------------------
# For each seed both networks start from the same random state and see the same data order,
# optimizer (Adam, :footcite:t:`kingma2015adam`, learning rate ``1e-3``) and number of steps. The
# training loss of an epoch is its mean over the epoch's batches. On so few images, small
# batches of 16 give more steps per epoch, and so more updates of the running
# batch-normalization statistics that the networks use at test time.
from dlguide.torch import evaluate, fit

SEEDS = (0, 1, 2)
EPOCHS = 3
histories = {name: [] for name in models}
accuracies = {name: [] for name in models}
for seed in SEEDS:
    for name, skip in (("ResNet-20", True), ("plain-20", False)):
        seed_everything(seed)
        model = ResNet(widths=(8, 16, 32), blocks_per_stage=3, skip=skip)
        history = fit(
            model,
            (x_train, y_train),
            epochs=EPOCHS,
            lr=1e-3,
            batch_size=16,
            device=device,
            seed=seed,
        )
        histories[name].append(history["loss"])
        accuracies[name].append(evaluate(model, (x_test, y_test), device=device)["accuracy"])
        print(
            f"seed {seed}, {name}: final training loss {history['loss'][-1]:.3f}, "
            f"test accuracy {accuracies[name][-1]:.3f}"
        )
for name in models:
    final = np.array([losses[-1] for losses in histories[name]])
    acc = np.array(accuracies[name])
    print(
        f"{name}: training loss {final.mean():.3f} +- {final.std(ddof=1):.3f}, "
        f"test accuracy {acc.mean():.3f} +- {acc.std(ddof=1):.3f} (mean +- std over {len(SEEDS)} seeds)"
    )
lower_loss = sum(r[-1] < p[-1] for r, p in zip(histories["ResNet-20"], histories["plain-20"]))
higher_acc = sum(r > p for r, p in zip(accuracies["ResNet-20"], accuracies["plain-20"]))
print(
    f"ResNet-20 has the lower final training loss in {lower_loss} of {len(SEEDS)} seeds "
    f"and the higher test accuracy in {higher_acc} of {len(SEEDS)} seeds"
)

# %%
# Training loss and test accuracy
# -------------------------------
# Each line is one seed. With identical layers, only the shortcuts differ. In every seed printed
# above the residual network ends with the lower training loss, and the gap between the two
# means is several times the spread between seeds. The plain network is not overfitting (its
# *training* loss is the higher one); it is harder to optimize. The residual network also has
# the higher test accuracy in the seeds counted above, but by a margin that swings from seed to
# seed (compare the per-seed lines) while the training-loss gap stays large in each. After so
# short a training, measured on 500 test images, three small runs are weak evidence of a
# test-accuracy advantage; He et al. measured one on full data sets. Both networks are also far
# from trained: every curve below is still falling at the last epoch, so neither test
# accuracy says what these networks reach.
import dlguide

colors = {"ResNet-20": "tab:blue", "plain-20": "tab:orange"}
epochs = np.arange(1, EPOCHS + 1)
fig, ax = plt.subplots(figsize=(6, 3.4))
for name, runs in histories.items():
    for k, losses in enumerate(runs):
        label = f"{name} (mean test accuracy {np.mean(accuracies[name]):.1%})" if k == 0 else None
        ax.plot(epochs, losses, marker="o", color=colors[name], alpha=0.7, label=label)
ax.set_xlabel("epoch")
ax.set_ylabel("training loss (mean over the epoch)")
ax.set_xticks(epochs)
fig.suptitle(f"ResNet-20 and plain-20 on {len(x_train):,} images, {len(SEEDS)} seeds each")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()

metrics = dlguide.report(
    test_accuracy=float(np.mean(accuracies["ResNet-20"])),
    baseline_accuracy=float(np.mean(accuracies["plain-20"])),
    train_loss=float(np.mean([losses[-1] for losses in histories["ResNet-20"]])),
    baseline_train_loss=float(np.mean([losses[-1] for losses in histories["plain-20"]])),
)

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
