"""
Forecasting sunspots: RNN, LSTM and GRU against the naive forecast
==================================================================

We train the three classic recurrent cells, the Elman RNN, the LSTM and the GRU, to predict next
year's sunspot number from the 24 years before it, and test them on the last 57 years of the
record, which none of them saw while training. The bar to clear is the *naive forecast*, "next
year equals this year", which is hard to beat on many real series. Each network is small (32
hidden units, a few thousand weights) and trains for 40 passes over 228 windows, so the whole
script runs in a few seconds on a CPU.
"""

# %%
# The sunspot record
# ------------------
# :func:`dlguide.data.load_sunspots` reads the yearly mean sunspot numbers from 1700 to 2008
# that ship with statsmodels, cuts them into windows of 24 years and the year that follows each,
# and splits them in time: the last 20% of the target years are the test set. The values are
# scaled with the mean and standard deviation of the training years only, so nothing about the
# test years leaks into training. The series rises and falls with the roughly 11-year solar
# cycle, with peaks of very different heights.
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
# The naive forecast
# ------------------
# Before training anything we score the simplest forecast: next year's value is this year's. It
# is free and often strong, because neighbouring years are similar. Errors are reported in
# sunspot numbers (mean absolute error, MAE) after undoing the scaling.
import numpy as np

truth = data.unscale(y_test[:, 0])
naive = data.unscale(x_test[:, -1, 0])  # the last value of each window
naive_mae = float(np.mean(np.abs(truth - naive)))
print(f"naive forecast MAE: {naive_mae:.1f}")

# %%
# Three recurrent cells, one interface
# ------------------------------------
# :class:`dlguide.torch.Forecaster` reads a window step by step with a recurrent layer and maps
# its last hidden state to one number. Only ``cell`` changes between the three runs; seeds, data
# order and every other setting stay the same. We train on mean squared error with Adam. With
# 228 training windows, 40 epochs take about a second per cell; a real study would tune the
# window, the width and the number of epochs on a validation period, and average several seeds.
from dlguide.torch import fit, get_device, predict, seed_everything
from dlguide.torch.recurrent import Forecaster

SEED = 0
device = get_device()
histories, forecasts, maes = {}, {}, {}
for cell in ("rnn", "lstm", "gru"):
    seed_everything(SEED)
    model = Forecaster(cell=cell, num_hiddens=32)
    histories[cell] = fit(
        model,
        (x_train, y_train),
        epochs=40,
        loss="mse",
        metrics=None,
        lr=1e-2,
        batch_size=32,
        device=device,
        seed=SEED,
    )
    forecasts[cell] = data.unscale(predict(model, x_test, device=device).numpy()[:, 0])
    maes[cell] = float(np.mean(np.abs(truth - forecasts[cell])))
    parameters = sum(p.numel() for p in model.parameters())
    print(f"{cell:>4}: {parameters:5d} parameters, test MAE {maes[cell]:.1f}")

# %%
# Training curves
# ---------------
# All three fit the training windows; the gated cells (LSTM, GRU) usually reach a lower training
# loss than the plain RNN, although with windows this short the plain RNN has no trouble
# remembering what it needs.
fig, ax = plt.subplots(figsize=(6, 3.2))
for cell, history in histories.items():
    ax.plot(np.arange(1, 41), history["loss"], label=cell.upper())
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training MSE (scaled units)")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()

# %%
# Forecasts on the test years
# ---------------------------
# The naive forecast is the true curve shifted right by one year: it is always late, most of all
# where the cycle turns. The networks have learned the shape of a cycle and turn with it, which
# is where they gain most of their advantage. None of them gets the height of every peak right:
# how strong the next cycle will be is hard to tell from the 24 years before it.
test_years = data.years[-len(truth) :]
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(test_years, truth, color="black", lw=2, label="observed")
ax.plot(test_years, naive, color="0.6", ls="--", label=f"naive (MAE {naive_mae:.1f})")
for cell, forecast in forecasts.items():
    ax.plot(test_years, forecast, label=f"{cell.upper()} (MAE {maes[cell]:.1f})")
ax.set_xlabel("year")
ax.set_ylabel("sunspot number")
ax.legend(ncol=3, fontsize="small")
fig.tight_layout()

# %%
# Test error against the baseline
# -------------------------------
# The key number is the best cell's MAE on the held-out years next to the naive forecast's. With
# one seed and 57 test years, differences of a sunspot or two between the cells are within the
# noise; the gap to the naive forecast is not.
import dlguide

best = min(maes, key=maes.get)
print(f"best cell: {best.upper()}")
dlguide.report(
    best_mae=maes[best],
    naive_mae=naive_mae,
    rnn_mae=maes["rnn"],
    lstm_mae=maes["lstm"],
    gru_mae=maes["gru"],
)

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
