"""
Watching a transformer's attention on a copy task
=================================================

Causal attention, the kind a language model uses, lets every position of a sequence read from
itself and any earlier position, with weights the network computes itself. On real text those
weights are hard to read; on a toy task where we
know which position holds the answer, they are not. Each sequence here is eight random digits, a
separator, and the same eight digits again. The digits of the first half cannot be predicted
at all; those of the second half can be predicted perfectly, but only by reading the token
exactly eight positions back from the position that predicts them. We train
a one-block causal transformer (:footcite:t:`vaswani2017attention`),
:class:`dlguide.torch.CharTransformer`, on 4,000 such sequences for five epochs, score it
against chance and plot where it looks.
"""

# %%
# The task, generated in NumPy
# ----------------------------
# Tokens 0-9 are digits and token 10 is the separator ``|``. As for any causal language model,
# the input is the sequence without its last token and the target is the sequence without its
# first: position ``t`` must predict token ``t + 1`` from tokens ``0..t``.

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

SEED = 0
LENGTH = 8  # digits to copy
SEPARATOR = 10
rng = np.random.default_rng(SEED)


def make_copy_task(count, rng):
    """Sequences "d1 ... d8 | d1 ... d8" as (inputs, targets), both (count, 16) int64."""
    digits = rng.integers(0, 10, size=(count, LENGTH))
    sequences = np.concatenate([digits, np.full((count, 1), SEPARATOR), digits], axis=1)
    return sequences[:, :-1], sequences[:, 1:]  # (count, 17) -> 2 x (count, 16)


x_train, y_train = make_copy_task(4_000, rng)
x_test, y_test = make_copy_task(1_000, rng)
symbols = [str(d) for d in range(10)] + ["|"]
print("input: ", " ".join(symbols[i] for i in x_test[0]))
print("target:", " ".join(symbols[i] for i in y_test[0]))

# %%
# The baseline
# ------------
# We score the eight copied digits only (target positions 8 to 15). A model that ignores the
# first half can do no better than chance there, one in ten, because every digit is drawn
# independently and uniformly.
baseline_accuracy = 1 / 10


def copy_accuracy(logits, targets):
    """Fraction of the copied digits (the second half) predicted right."""
    return (logits[:, LENGTH:].argmax(dim=-1) == targets[:, LENGTH:]).float().mean()


# %%
# A one-block transformer
# -----------------------
# :class:`dlguide.torch.CharTransformer` adds a learned position vector to each token's
# embedding and applies causal self-attention followed by a small MLP. With one block of two
# heads and 32-dimensional vectors it has the number of weights printed below. The loss is the
# cross-entropy of the next token at every position; the random first half keeps it from
# reaching zero. In training, the causal mask lets one forward pass score every position at
# once; generating text would still go one token at a time. We train with AdamW, Adam with
# decoupled weight decay :footcite:p:`loshchilov2019decoupled`, the usual optimizer for
# transformers.
import torch
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from dlguide.torch import fit, get_device, seed_everything
from dlguide.torch.transformer import CharTransformer


def next_token_loss(logits, targets):
    return F.cross_entropy(logits.transpose(1, 2), targets)  # (B, T, V) -> (B, V, T)


seed_everything(SEED)
device = get_device()
train_loader = DataLoader(
    TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)),
    batch_size=64,
    shuffle=True,
    generator=torch.Generator().manual_seed(SEED),
)
test_loader = DataLoader(
    TensorDataset(torch.from_numpy(x_test), torch.from_numpy(y_test)), batch_size=500
)
model = CharTransformer(
    vocab_size=11, context_length=2 * LENGTH, embed_dim=32, num_heads=2, num_layers=1
)
print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")
history = fit(
    model,
    train_loader,
    validation_data=test_loader,
    epochs=5,
    loss=next_token_loss,
    optimizer=torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01),
    metrics=[copy_accuracy],
    device=device,
)

# %%
# Accuracy on new sequences
# -------------------------
# The 1,000 test sequences were never seen in training. Compare the transformer's accuracy on
# the copied digits (one training run) with chance, one in ten.
import dlguide

test_accuracy = history["val_copy_accuracy"][-1]
dlguide.report(copy_accuracy=test_accuracy, baseline_accuracy=baseline_accuracy)

# %%
# Where the model looks
# ---------------------
# :func:`dlguide.torch.attention_maps` runs the model and returns each attention layer's weights,
# shape ``(batch, heads, queries, keys)``; row ``t`` says how position ``t`` spreads its
# attention over positions ``0..t`` (the causal mask leaves the upper triangle empty). From the
# separator on, the weights form a sharp stripe eight positions left of the diagonal: to predict
# the digit that comes next, each position reads the digit it is about to copy. Averaged over all
# test sequences the stripe stays, so it is a rule the model learned, not a coincidence of one
# example. In the first half, where the next digit cannot be predicted, the weights follow no
# such rule:
# they pile onto the first positions or spread over several, and mean nothing in particular.
# The spot in the row of the first half's last digit (position 7) is no copy either: its next
# token is always the separator, which the position alone gives away.
# In this run both heads learned the stripe; with other seeds they may split the work instead
# (only one seed is run here).
import matplotlib.pyplot as plt

from dlguide.torch.transformer import attention_maps

(weights,) = attention_maps(model, torch.from_numpy(x_test).to(device))  # one block
weights = weights.cpu().numpy()  # (1000, 2, 16, 16)
labels = [symbols[i] for i in x_test[0]]
positions = [str(t) for t in range(2 * LENGTH)]
mean_weights = weights.mean(axis=0)  # (2, 16, 16): the average over the test sequences
panels = [(weights[0, h], f"head {h + 1}, one sequence", labels) for h in range(2)]
panels += [(mean_weights[h], f"head {h + 1}, mean of 1,000", positions) for h in range(2)]

fig, axes = plt.subplots(1, 4, figsize=(13, 3.6))
for ax, (matrix, title, ticks) in zip(axes, panels, strict=True):
    ax.imshow(matrix, cmap="viridis", vmin=0, vmax=1)
    ax.set_title(title, fontsize="medium")
    ax.set_xlabel("key (position read)")
    ax.set_xticks(range(2 * LENGTH), ticks, fontsize="x-small")
    ax.set_yticks(range(2 * LENGTH), ticks, fontsize="x-small")
axes[0].set_ylabel("query (position predicting)")
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
