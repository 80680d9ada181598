"""
Activation functions and their gradients
========================================

Every hidden unit passes its weighted sum through a nonlinear activation function. We draw five
common ones -- sigmoid, tanh, ReLU, leaky ReLU and GELU -- together with their derivatives,
which PyTorch's autograd computes for us, and then show what the derivative means in a deep
network: in a stack of ten sigmoid layers the gradient that reaches the first layer is orders of
magnitude smaller than with ReLU, so the first layers barely learn. This is the *vanishing
gradient* problem. Everything here runs in about a second: we only do forward and backward
passes, no training.
"""

# %%
# Five activation functions
# -------------------------
# We evaluate each function on a grid of inputs that requires a gradient; one call to
# ``torch.autograd.grad`` then gives the derivative at every grid point at once (the sum's
# gradient with respect to each input is that input's own derivative, as the points do not
# interact).
import time

start = time.perf_counter()

import torch
from torch.nn import functional as F

from dlguide.torch import get_device, seed_everything

SEED = 0
seed_everything(SEED)
device = get_device()

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "ReLU": F.relu,
    "leaky ReLU": lambda z: F.leaky_relu(z, negative_slope=0.1),
    "GELU": F.gelu,
}
z = torch.linspace(-5, 5, 501, requires_grad=True)
curves = {}
for name, function in ACTIVATIONS.items():
    a = function(z)
    (slope,) = torch.autograd.grad(a.sum(), z)
    curves[name] = (a.detach().numpy(), slope.numpy())
    print(f"{name:>10}: largest derivative {slope.max():.3f}, derivative at z=4: {slope[450]:.4f}")

# %%
# The functions and their derivatives
# -----------------------------------
# The sigmoid's derivative is at most 0.25 and tanh's at most 1, and both fall towards zero
# once the input is a few units away from 0: they *saturate*. ReLU's derivative is exactly 1
# for every positive input (and 0 for negative ones, which leaky ReLU softens to a small slope);
# GELU is a smooth version of ReLU that Transformers use.
import matplotlib.pyplot as plt

grid = z.detach().numpy()
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
for name, (values, slopes) in curves.items():
    left.plot(grid, values, label=name)
    right.plot(grid, slopes, label=name)
left.set(title="activation a(z)", xlabel="z", ylim=(-1.5, 3))
right.set(title="derivative da/dz (autograd)", xlabel="z")
for ax in (left, right):
    ax.grid(alpha=0.3)
left.legend()
fig.tight_layout()

# %%
# What saturation does to a deep network
# --------------------------------------
# Backpropagation multiplies the gradient by one activation derivative per layer on its way
# back to the input. With derivatives of at most 0.25 the product shrinks quickly. We build
# ten-layer MLPs (nine hidden layers of 32 units, default PyTorch initialisation) that differ
# only in the activation, push one batch of 256 digits through, back-propagate the
# cross-entropy loss and measure the gradient norm of every layer's weight matrix. We average
# over five random initialisations so the picture does not depend on one draw.
import numpy as np

from dlguide.data import load_digits
from dlguide.torch import MLP

(x_train, y_train), _ = load_digits()
x = torch.from_numpy(x_train[:256]).to(device)
y = torch.from_numpy(y_train[:256]).to(device)


def layer_gradient_norms(activation: str, seed: int) -> np.ndarray:
    """Gradient norm of each Linear layer's weights, first layer first, for one batch."""
    seed_everything(seed)
    model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(32,) * 9, activation=activation)
    model.to(device)
    F.cross_entropy(model(x), y).backward()
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    return np.array([layer.weight.grad.norm().item() for layer in linears])


norms = {
    activation: np.mean([layer_gradient_norms(activation, SEED + i) for i in range(5)], axis=0)
    for activation in ("sigmoid", "tanh", "relu", "gelu")
}

# %%
# Gradient norm per layer
# -----------------------
# The output layer (layer 10) gets a gradient of similar size in every network. Going back
# towards the input, the sigmoid network's gradient shrinks by a roughly constant factor per
# layer -- a straight line on this logarithmic axis -- and loses about seven orders of magnitude.
# ReLU's gradient shrinks too, because PyTorch's default initialisation is scaled for no
# particular activation, but far less (He et al., 2015, https://arxiv.org/abs/1502.01852, derive
# the scaling that keeps it constant). tanh, whose slope at 0 is 1, does well here because the
# small initial weights keep its inputs near 0. The sigmoid's slope never exceeds 0.25, so with
# plain gradient descent its first layers would hardly move; this is one reason ReLU replaced
# it in hidden layers (Glorot, Bordes & Bengio, 2011,
# https://proceedings.mlr.press/v15/glorot11a.html).
fig, ax = plt.subplots(figsize=(6, 3.6))
layers = np.arange(1, 11)
for activation, values in norms.items():
    ax.semilogy(layers, values, marker="o", label=activation)
ax.set(
    xlabel="layer (1 = next to the input)",
    ylabel="weight gradient norm",
    title="Gradients reaching each layer of a 10-layer MLP",
    xticks=layers,
)
ax.grid(alpha=0.3, which="both")
ax.legend()
fig.tight_layout()

# %%
# The numbers
# -----------
# The key metric is how much larger the first layer's gradient is with ReLU than with the
# sigmoid; a ratio of 1 would mean no difference. We also give, for the two networks, how many
# orders of magnitude the gradient loses between the last layer and the first.
import dlguide

for activation, values in norms.items():
    print(f"{activation:>8}: first layer {values[0]:.2e}, last layer {values[-1]:.2e}")
dlguide.report(
    first_layer_gradient_ratio_relu_over_sigmoid=norms["relu"][0] / norms["sigmoid"][0],
    sigmoid_orders_of_magnitude_lost=np.log10(norms["sigmoid"][-1] / norms["sigmoid"][0]),
    relu_orders_of_magnitude_lost=np.log10(norms["relu"][-1] / norms["relu"][0]),
)

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
