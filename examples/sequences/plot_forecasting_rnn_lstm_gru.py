"""
Forecasting sunspots: RNN, LSTM and GRU against the naive forecast
==================================================================

We train the three classic recurrent cells, the Elman RNN (:footcite:t:`elman1990finding`), the
LSTM (:footcite:t:`hochreiter1997long`, with the forget gate of :footcite:t:`gers2000learning`)
and the GRU (:footcite:t:`cho2014learning`), to predict
next year's sunspot number from the 24 years before it, and test them on the last 57 years of
the record, which none of them saw while training. There are two bars to clear: the *naive
forecast*, "next year equals this year", and a linear autoregressive model fitted by least
squares on the same 24 years, the classic model for such series since
:footcite:t:`yule1927method` fitted one to these very sunspot numbers. Each network is small
(32 hidden units; its weights are counted below) and trains for 40 passes over 228 windows,
three seeds per cell, so the whole script runs on a CPU (the footer gives its time).
"""

# %%
# The sunspot record
# ------------------
# :func:`dlguide.data.load_sunspots` reads the yearly mean sunspot numbers from 1700 to 2008
# of the World Data Center SILSO, Royal Observatory of Belgium
# :footcite:p:`silso2008international`, in the copy that ships with statsmodels (taken from
# NOAA's National Geophysical Data Center; version 1 of
# the series, which SILSO recalibrated in 2015
# :footcite:p:`clette2014revisiting,clette2016new`, so today's official numbers differ). It
# cuts them
# into windows of 24 years and the year that follows each, and splits them in time: the last
# fifth of the target years, from the year printed below, are the test set. The values are
# scaled with the mean and standard deviation of the training years only, so nothing about the
# test years leaks into training. The series rises and falls with the roughly 11-year solar
# cycle, with peaks of very different heights.

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

import matplotlib.pyplot as plt

from dlguide.data.series import load_sunspots

data = load_sunspots(window=24)
(x_train, y_train), (x_test, y_test) = data.train, data.test
print(f"train windows: {x_train.shape}, test windows: {x_test.shape}")
print(f"first test year: {data.split_year}")

fig, ax = plt.subplots(figsize=(9, 3))
ax.plot(data.years, data.values, color="0.3", lw=1)
ax.axvspan(data.split_year, data.years[-1], color="tab:orange", alpha=0.15, label="test years")
ax.set_xlabel("year")
ax.set_ylabel("sunspot number")
ax.legend(loc="upper left")
fig.tight_layout()

# %%
# Two baselines
# -------------
# Before training a network we score the simplest forecast: next year's value is this year's. It
# is free and often strong, because neighbouring years are similar. The second baseline is the
# classic model for such series: a linear autoregressive model, next year as a weighted sum of
# the same 24 past years plus a constant, fitted by least squares. Errors are reported in
# sunspot numbers (mean absolute error, MAE) after undoing the scaling.
import numpy as np
from sklearn.linear_model import LinearRegression

truth = data.unscale(y_test[:, 0])
naive = data.unscale(x_test[:, -1, 0])  # the last value of each window
naive_mae = float(np.mean(np.abs(truth - naive)))
linear = LinearRegression().fit(x_train[:, :, 0], y_train[:, 0])  # (N, 24) -> (N,)
linear_forecast = data.unscale(linear.predict(x_test[:, :, 0]))
linear_mae = float(np.mean(np.abs(truth - linear_forecast)))
print(f"naive forecast MAE: {naive_mae:.1f}")
print(f"linear autoregressive MAE: {linear_mae:.1f}")

# %%
# Three recurrent cells, one interface
# ------------------------------------
# :class:`dlguide.torch.Forecaster` reads a window step by step with a recurrent layer and maps
# its last hidden state to one number. Only ``cell`` changes between the three runs; seeds, data
# order and every other setting stay the same. We train on mean squared error with Adam
# :footcite:p:`kingma2015adam`, three
# seeds per cell, because with 57 test years one run can be lucky. The models are so small that
# we use one CPU thread: splitting their tiny matrix products would cost more than it saves. A
# real study would also tune the window, the width and the number of epochs on a validation
# period.
import torch

from dlguide.torch import fit, get_device, predict, seed_everything
from dlguide.torch.recurrent import Forecaster

torch.set_num_threads(1)
SEED = 0
SEEDS = (0, 1, 2)
EPOCHS = 40
device = get_device()
histories, forecasts, maes = {}, {}, {}  # first seed's curves and forecasts; every seed's MAE
for cell in ("rnn", "lstm", "gru"):
    maes[cell] = []
    for seed in SEEDS:
        seed_everything(seed)
        model = Forecaster(cell=cell, num_hiddens=32)
        history = fit(
            model,
            (x_train, y_train),
            epochs=EPOCHS,
            loss="mse",
            metrics=None,
            lr=1e-2,
            batch_size=32,
            device=device,
            seed=seed,
        )
        forecast = data.unscale(predict(model, x_test, device=device).numpy()[:, 0])
        histories.setdefault(cell, history)
        forecasts.setdefault(cell, forecast)
        maes[cell].append(float(np.mean(np.abs(truth - forecast))))
    parameters = sum(p.numel() for p in model.parameters())
    print(
        f"{cell:>4}: {parameters:5d} parameters, test MAE {np.mean(maes[cell]):.1f} "
        f"+- {np.std(maes[cell]):.1f} (seeds: {', '.join(f'{m:.1f}' for m in maes[cell])})"
    )

# %%
# Training curves
# ---------------
# The training loss of the first seed of each cell, epoch by epoch. Read the test errors above
# next to these curves: a lower training loss does not guarantee a better forecast of the test
# years.
fig, ax = plt.subplots(figsize=(6, 3.2))
for cell, history in histories.items():
    ax.plot(np.arange(1, EPOCHS + 1), history["loss"], label=cell.upper())
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training MSE (scaled units)")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()

# %%
# Forecasts on the test years
# ---------------------------
# The naive forecast is the true curve shifted right by one year: it is always late, and it
# misses most where the series changes fastest, on the steep rise of each cycle. The networks
# (the first seed of each cell is drawn), like the linear model, do not just repeat the last
# year: they have learned how a cycle unfolds and follow its rise and fall with less lag. None
# of them gets the height of every peak right: how strong the next cycle will be is hard to tell
# from the 24 years before it.
test_years = data.years[-len(truth) :]
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(test_years, truth, color="black", lw=2, label="observed")
ax.plot(test_years, naive, color="0.6", ls="--", label=f"naive (MAE {naive_mae:.1f})")
ax.plot(test_years, linear_forecast, color="0.3", ls=":", label=f"linear (MAE {linear_mae:.1f})")
for cell, forecast in forecasts.items():
    ax.plot(test_years, forecast, label=f"{cell.upper()} (MAE {maes[cell][0]:.1f})")
ax.set_xlabel("year")
ax.set_ylabel("sunspot number")
ax.legend(ncol=3, fontsize="small")
fig.tight_layout()

# %%
# Test error against the baseline
# -------------------------------
# The key numbers are the cells' mean MAEs over three seeds on the held-out years, next to the
# two baselines. Compare the gaps between them with the spread between seeds printed above
# before reading a ranking into them.
import dlguide

runs = np.array(list(maes.values()))  # (3 cells, 3 seeds)
print(f"runs better than the naive forecast: {(runs < naive_mae).sum()} of {runs.size}")
print(f"runs better than the linear model: {(runs < linear_mae).sum()} of {runs.size}")
dlguide.report(
    naive_mae=naive_mae,
    linear_mae=linear_mae,
    rnn_mae=float(np.mean(maes["rnn"])),
    lstm_mae=float(np.mean(maes["lstm"])),
    gru_mae=float(np.mean(maes["gru"])),
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
