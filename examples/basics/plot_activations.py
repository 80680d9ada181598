"""
Activation functions and their gradients
========================================

Every hidden unit passes its weighted sum through a nonlinear activation function. We draw five
common ones -- sigmoid, tanh, ReLU (:footcite:t:`nair2010rectified`), leaky ReLU
(:footcite:t:`maas2013rectifier`) and GELU (:footcite:t:`hendrycks2016gaussian`) -- together
with their derivatives, which PyTorch's autograd computes for us. Then we show what the
derivative means in a deep network: in a ten-layer network with sigmoid hidden layers the
gradient that reaches the first layer is orders of magnitude smaller than with ReLU, so with
plain gradient descent the first layers barely learn. This is the *vanishing gradient* problem,
analysed for recurrent networks by :footcite:t:`bengio1994learning` and for deep feedforward
networks like these by :footcite:t:`glorot2010understanding`. We only run forward and backward
passes, no training, so the page is quick to build.
"""

# %%
# Five activation functions
# -------------------------
# We evaluate each function on a grid of inputs that requires a gradient; one call to
# ``torch.autograd.grad`` then gives the derivative at every grid point at once (the sum's
# gradient with respect to each input is that input's own derivative, as the points do not
# interact).

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
# The printed lines give the sigmoid's largest derivative (a quarter, at 0) and tanh's (1, at
# 0); both fall towards zero once the input is a few units away from 0: they *saturate*, as
# their derivatives at 4 show. ReLU's derivative is exactly 1 for every positive input (and 0 for
# negative ones, which leaky ReLU softens to a small slope); GELU is a smooth version of ReLU.
# The original transformer (:footcite:t:`vaswani2017attention`) used ReLU, but many later
# transformers use GELU, BERT among them (:footcite:t:`devlin2019bert`).
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
# Backpropagation multiplies the gradient by one activation derivative (and by the layer's
# weights) per layer on its way back to the input. With derivatives of at most a quarter, and
# weights that do not make up for them, the product shrinks quickly. We
# build ten-layer MLPs (nine hidden layers of 32 units, PyTorch's default initialisation) that
# differ only in the activation, push one batch of 256 digits (the UCI optical digits,
# :footcite:t:`alpaydin1998optical`) through, back-propagate the cross-entropy loss and measure
# the gradient norm of every layer's weight matrix. We repeat this for five random
# initialisations and keep every draw, so the picture does not depend on one of them.
import numpy as np

from dlguide.data import load_digits
from dlguide.torch import MLP

NUM_SEEDS = 5
(x_train, y_train), _ = load_digits()
x = torch.from_numpy(x_train[:256]).to(device)
y = torch.from_numpy(y_train[:256]).to(device)


def layer_gradient_norms(activation: str, seed: int) -> np.ndarray:
    """Gradient norm of each Linear layer's weights, first layer first, for one batch."""
    seed_everything(seed)
    model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(32,) * 9, activation=activation)
    model.to(device)
    F.cross_entropy(model(x), y).backward()  # the model outputs logits, as the loss expects
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    return np.array([layer.weight.grad.norm().item() for layer in linears])


norms = {  # activation -> array of shape (seeds, layers)
    activation: np.stack([layer_gradient_norms(activation, SEED + i) for i in range(NUM_SEEDS)])
    for activation in ("sigmoid", "tanh", "relu", "gelu")
}

# %%
# Gradient norm per layer
# -----------------------
# Each line is the mean over the five initialisations (on a logarithmic axis, so we average the
# logarithms); the band spans the smallest and largest draw. Going back from the output layer
# (layer 10) towards the input, the sigmoid network's gradient shrinks by a roughly constant
# factor per layer -- a straight line on this axis. ReLU's gradient shrinks too, but far less
# (the numbers are printed below): PyTorch's default initialisation is not scaled for any
# particular activation, and :footcite:t:`he2015delving` derive the scaling that keeps the size
# of a ReLU network's gradient roughly constant from layer to layer. tanh, whose slope at 0 is
# 1, loses the least here, because the small initial weights keep its inputs near 0, where it is
# steepest. The sigmoid's slope never exceeds a quarter, so with plain gradient descent its
# first layers would hardly move; this is one reason ReLU replaced it in hidden layers
# (:footcite:t:`glorot2011deep`).
fig, ax = plt.subplots(figsize=(6, 3.6))
layers = np.arange(1, 11)
for activation, values in norms.items():
    mean = np.exp(np.log(values).mean(axis=0))
    (line,) = ax.semilogy(layers, mean, marker="o", label=activation)
    ax.fill_between(
        layers, values.min(axis=0), values.max(axis=0), color=line.get_color(), alpha=0.2
    )
ax.set(
    xlabel="layer (1 = next to the input)",
    ylabel="weight gradient norm",
    title=f"Gradients reaching each layer of a 10-layer MLP ({NUM_SEEDS} seeds)",
    xticks=layers,
)
ax.grid(alpha=0.3, which="both")
ax.legend()
fig.tight_layout()

# %%
# The numbers
# -----------
# For each activation, the first and the last layer's gradient norm (mean over the seeds, and
# the smallest and largest draw) and how many orders of magnitude separate them. The key metric
# is how much larger the first layer's gradient is with ReLU than with the sigmoid, for each of
# the five initialisations (the same seed gives both networks the same random stream); a ratio
# of 1 would mean no difference.
import dlguide

for activation, values in norms.items():
    first, last = values[:, 0], values[:, -1]
    lost = np.log10(last / first)
    print(
        f"{activation:>8}: first layer {first.mean():.2e} ({first.min():.2e} to {first.max():.2e}), "
        f"last layer {last.mean():.2e}, orders of magnitude lost {lost.mean():.1f} "
        f"({lost.min():.1f} to {lost.max():.1f})"
    )
ratios = norms["relu"][:, 0] / norms["sigmoid"][:, 0]
print("first-layer gradient, ReLU / sigmoid, per seed:", ", ".join(f"{r:,.0f}" for r in ratios))
metrics = dlguide.report(
    first_layer_gradient_ratio_relu_over_sigmoid=float(np.exp(np.log(ratios).mean())),
    sigmoid_orders_of_magnitude_lost=float(
        np.log10(norms["sigmoid"][:, -1] / norms["sigmoid"][:, 0]).mean()
    ),
    relu_orders_of_magnitude_lost=float(
        np.log10(norms["relu"][:, -1] / norms["relu"][:, 0]).mean()
    ),
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
