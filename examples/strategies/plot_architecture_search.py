"""
Neural architecture search on a budget of candidates
====================================================

Instead of choosing the depth, widths, activation and learning rate of a network by hand,
neural architecture search (NAS) lets an algorithm try many and keep the one that scores best on
validation data. We give two strategies from :mod:`dlguide.torch.nas` the same budget of
24 trained candidates each on the 8x8 digits: random search
:footcite:p:`bergstra2012random,li2019random` and regularized evolution
:footcite:p:`real2019regularized`. The budget is counted in candidates, not seconds, so every
machine trains the same number of candidates, however fast it is (the scores can still differ
slightly between machines, whose floating-point results are not bit-for-bit identical). We plot the best validation
accuracy found against the number of candidates, and compare each winner on the test set with
the default :class:`dlguide.torch.MLP`. This is a toy and one run: every candidate trains for
5 epochs on about 1,000 images, a search sees 24 candidates, and the search space holds only
small MLPs. The searches that made NAS famous trained thousands of convolutional networks on
GPUs: :footcite:t:`zoph2017neural` trained about 12,800 candidates for CIFAR-10, up to 800 at a
time on 800 GPUs, and the evolution of :footcite:t:`real2019regularized` used 450 GPUs for
about 7 days, some 3,150 GPU-days. What the toy does show is the loop they share: propose, train
briefly, score on validation data, keep the best.
"""

# %%
# Data: training, validation and test
# -----------------------------------
# A search *chooses* with the validation score, so the validation images are no longer a fair
# judge of the winner: we keep the 450 test images apart and look at them only at the end.

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

from dlguide.data import load_digits

SEED = 0
(x_train, y_train), (x_test, y_test) = load_digits()
rng = np.random.default_rng(SEED)
order = rng.permutation(len(x_train))
val, train = order[:300], order[300:]
train_data, val_data = (x_train[train], y_train[train]), (x_train[val], y_train[val])
print(f"train: {len(train)}, validation: {len(val)}, test: {len(x_test)} images")

# %%
# The search space
# ----------------
# An architecture here is an MLP: 1 to 3 hidden layers, each 16, 32, 64 or 128 wide, one of
# three activations, a dropout rate :footcite:p:`srivastava2014dropout` and the learning rate of
# Adam :footcite:p:`kingma2015adam`. The lines printed below count the
# layer layouts, the other choices and the whole space, and how many times the budget of one
# search below (24 candidates) it would take to train them all. Real search spaces hold far more
# candidates than could ever be trained.
from dlguide.nas import SearchSpace

space = SearchSpace()
print(space)
layouts = sum(len(space.widths) ** depth for depth in space.depths)
others = len(space.activations) * len(space.dropouts) * len(space.learning_rates)
print(
    f"{layouts} layer layouts x {others} other choices = {layouts * others:,} candidates, "
    f"{layouts * others / 24:.0f} times a budget of 24"
)
print("a random candidate:", space.sample(np.random.default_rng(SEED)))

# %%
# Baseline: the default MLP
# -------------------------
# The MLP with its default two hidden layers (128, 64), ReLU and Adam at 0.001, trained exactly
# as every candidate will be: 5 epochs on the training part.
from dlguide.torch import MLP, evaluate, fit, get_device, seed_everything

device = get_device()
seed_everything(SEED)
baseline = MLP(num_inputs=64, num_outputs=10)
fit(baseline, train_data, epochs=5, device="cpu", verbose=False)
baseline_val = evaluate(baseline, val_data, device="cpu")["accuracy"]
baseline_test = evaluate(baseline, (x_test, y_test), device="cpu")["accuracy"]
print(f"default MLP: validation {baseline_val:.3f}, test {baseline_test:.3f}")

# %%
# Random search and regularized evolution
# ---------------------------------------
# Random search draws every candidate independently. Regularized evolution starts with 6
# random candidates; after that it draws 3 members of the population, copies the best of them
# with one change (a layer more or less, another width, activation, dropout or learning rate),
# trains the child and retires the *oldest* member. Each search trains exactly ``MAX_TRIALS``
# candidates, whatever the speed of the machine. Candidates train on the CPU: MLPs this small
# gain little or nothing from a GPU.
from dlguide.torch.nas import evolutionary_search, random_search

MAX_TRIALS = 24  # the budget: trained candidates per search
searches = {
    "random search": random_search(
        train_data,
        val_data,
        space=space,
        max_trials=MAX_TRIALS,
        epochs=5,
        seed=SEED,
    ),
    "regularized evolution": evolutionary_search(
        train_data,
        val_data,
        space=space,
        max_trials=MAX_TRIALS,
        epochs=5,
        population_size=6,
        sample_size=3,
        seed=SEED,
    ),
}
for name, result in searches.items():
    poor = sum(t.score < 0.9 for t in result.history)
    print(
        f"{name}: {len(result.history)} candidates, best validation {result.score:.3f}, "
        f"{poor} candidates below 0.9"
    )
    print(f"    {result.architecture}")

# %%
# The search curves
# -----------------
# Each dot is one trained candidate; the line is the best validation accuracy found so far.
# Both searches share their first six candidates (same seed). After that, evolution's children
# stay near good parents, so it is expected to propose fewer poor candidates, while random
# search keeps sampling the whole space, bad corners included. The counts printed above
# (candidates below 0.9) say whether that held in this one run; a single run of 24 candidates
# cannot say which strategy is better in general.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 4))
for (name, result), colour in zip(searches.items(), ("tab:blue", "tab:orange"), strict=True):
    trials = [t.trial + 1 for t in result.history]
    ax.scatter(trials, [t.score for t in result.history], s=12, alpha=0.5, color=colour)
    ax.step(trials, [t.best_so_far for t in result.history], where="post", color=colour, label=name)
ax.axhline(baseline_val, color="grey", linestyle="--", label="default MLP, 5 epochs")
lowest = min(t.score for r in searches.values() for t in r.history)
ax.set(
    xlabel="candidates trained",
    ylabel="validation accuracy",
    ylim=(min(0.5, lowest - 0.05), 1.0),  # every candidate stays in view
)
ax.legend(loc="lower right")
fig.suptitle("Best validation accuracy so far: random search vs evolution")
fig.tight_layout()

# %%
# Test accuracy of the winners
# ----------------------------
# Each search chose its winner by validation accuracy and returns its model, already trained;
# only now do we score each winner, once, on the test images. Its validation score is
# optimistic (it won a contest judged on those images); the test score is the one to report.
import dlguide

test = {
    name: evaluate(r.model, (x_test, y_test), device="cpu")["accuracy"]
    for name, r in searches.items()
}
for name, accuracy in test.items():
    print(f"{name}: test accuracy {accuracy:.3f}")
dlguide.report(
    random_search_test_accuracy=test["random search"],
    evolution_test_accuracy=test["regularized evolution"],
    baseline_test_accuracy=baseline_test,
)

# %%
# What the search really found
# ----------------------------
# Look at the winners' learning rates, printed with their architectures. With only 5 epochs per
# candidate, the search rewards what learns *fast*, and a larger learning rate can help with
# that more than a different layer layout: short, cheap evaluations bias a search towards
# quick starters.
# So we give the default MLP more training, 30 epochs, and print its test accuracy next to the
# winners' above (one run each). A fair comparison gives a hand-made baseline the same care
# (training time, a tuned learning rate) as the searched networks, and random search with the
# same budget is the baseline every cleverer NAS method must beat
# (:footcite:t:`li2019random`).
seed_everything(SEED)
longer = MLP(num_inputs=64, num_outputs=10)
fit(longer, train_data, epochs=30, device="cpu", verbose=False)
longer_test = evaluate(longer, (x_test, y_test), device="cpu")["accuracy"]
print(f"default MLP, 30 epochs: test accuracy {longer_test:.3f}")
dlguide.report(baseline_30_epochs_test_accuracy=longer_test)

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
