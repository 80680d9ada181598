"""
Residual connections: a ResNet against the same network without skips
======================================================================

Stacking more layers should never hurt in principle: the extra layers could learn to pass their
input through unchanged. In practice He et al. (2016, "Deep Residual Learning for Image
Recognition", https://arxiv.org/abs/1512.03385) found that deep *plain* networks train worse
than shallower ones, the degradation problem, and fixed it with shortcut connections that add a
block's input to its output. We train two 20-layer networks that differ only in those shortcuts,
:class:`dlguide.torch.ResNet` with ``skip=True`` and ``skip=False``, on Fashion-MNIST.
Shortcuts: 2,000 training images, 5 epochs, narrow stages (8, 16, 32 channels) and 2,000 test
images, so both networks train in seconds; the effect only grows with depth and time.
"""

# %%
# The data
# --------
# The first 200 training images of each class, and the first 2,000 official test images.
import time

start = time.perf_counter()

from dlguide.data.fashion_mnist import load_fashion_mnist

(x_train, y_train), (x_test, y_test) = load_fashion_mnist(num_train=2000)
x_train, x_test = x_train[:, None], x_test[:2000, None]  # (N, 28, 28) -> (N, 1, 28, 28)
y_test = y_test[:2000]
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %%
# Two networks of the same depth
# ------------------------------
# Three stages of three blocks, each block two 3x3 convolutions with batch normalization, plus
# the first convolution and the output layer: 20 weight layers. The residual block returns
# ``relu(F(x) + x)``, the plain one ``relu(F(x))``. Where a stage halves the image, the shortcut
# is a 1x1 convolution, the only parameters the plain network lacks.
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
# term carries the signal past the blocks. He et al. also checked the plain network: with batch
# normalization, its gradients do *not* vanish at the start. One backward pass on a batch shows
# the same here: both networks' early blocks receive healthy gradients, so the plain network's
# trouble is not a dead gradient but a harder optimization, which the training below shows.
import matplotlib.pyplot as plt
import numpy as np
from torch.nn import functional as F

batch_x = torch.from_numpy(x_train[:256]).to(device)
batch_y = torch.from_numpy(y_train[:256]).to(device)
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
# Train both
# ----------
# Same seed, data order, optimizer (Adam, learning rate 0.001) and number of steps.
from dlguide.torch import evaluate, fit

histories, accuracies = {}, {}
for name, model in models.items():
    seed_everything(SEED)
    histories[name] = fit(
        model, (x_train, y_train), epochs=5, lr=1e-3, batch_size=64, device=device
    )
    accuracies[name] = evaluate(model, (x_test, y_test), device=device)["accuracy"]
    print(
        f"{name}: final training loss {histories[name]['loss'][-1]:.3f}, test accuracy {accuracies[name]:.3f}"
    )

# %%
# Training loss and test accuracy
# -------------------------------
# The residual network's training loss falls faster and lower: with identical layers, only the
# shortcuts differ. The plain network is not overfitting (its *training* loss is the higher
# one); it is harder to optimize. The test accuracy follows.
import dlguide

fig, ax = plt.subplots(figsize=(6, 3.4))
for name, history in histories.items():
    ax.plot(
        np.arange(1, 6), history["loss"], marker="o", label=f"{name} (test {accuracies[name]:.1%})"
    )
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.set_xticks(np.arange(1, 6))
fig.suptitle("Training loss of ResNet-20 and plain-20 on 2,000 images")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()

dlguide.report(
    test_accuracy=accuracies["ResNet-20"],
    baseline_accuracy=accuracies["plain-20"],
    train_loss=histories["ResNet-20"]["loss"][-1],
    baseline_train_loss=histories["plain-20"]["loss"][-1],
)

# %%
# Footer
# ------
dlguide.footer(seed=SEED, device=device, start=start)
