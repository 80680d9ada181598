"""
Data-parallel training with PyTorch DDP
=======================================

With distributed data parallelism (DDP) each of several processes holds a full copy of the
model, computes gradients on its own share of every batch, and an all-reduce averages the
gradients before every step so the copies never drift apart. We launch two processes the way
``torchrun`` does, let each train an MLP on its half of every global batch of digits, and then
train the same model in one process on the same global batches: the final weights agree up to
float rounding. Two CPU processes on one laptop stand in for GPUs or machines, so the page shows
correctness, not speed; it runs in well under half a minute.
"""

# %%
# How the processes are started
# -----------------------------
# ``torchrun --nproc-per-node=2 train.py`` starts one Python process per device and tells each
# who it is through environment variables: ``RANK`` (0, 1, ...), ``WORLD_SIZE`` (2),
# ``LOCAL_RANK`` and the address of rank 0, ``MASTER_ADDR`` and ``MASTER_PORT``.
# :func:`dlguide.torch.distributed.train_data_parallel` does the same with
# ``subprocess.Popen``, running ``python -m dlguide.torch.distributed`` (the workers need an
# importable module, not this page). The processes talk over 127.0.0.1 only, with the ``gloo``
# backend, which works on CPUs; on NVIDIA GPUs one uses ``nccl``. Here is the code each worker
# runs between joining the group and leaving it:
import inspect
import time

start = time.perf_counter()

from dlguide.torch import distributed

source = inspect.getsource(distributed._train)
print(source[source.index("    local =") :])

# %%
# Two processes, one global batch of 64 split in halves
# -----------------------------------------------------
# Each rank computes the mean loss over its 32 examples; DDP averages the two gradients, which is
# exactly the gradient of the mean loss over all 64. We train 5 epochs with plain SGD on the
# 1,347 training digits -- a small job, so process start-up dominates the wall time.
import tempfile

from dlguide.data import load_digits
from dlguide.torch import evaluate, get_device

SEED = 0
device = get_device()
(x_train, y_train), (x_test, y_test) = load_digits()
settings = dict(
    num_outputs=10, num_hiddens=(64,), global_batch_size=64, epochs=5, lr=0.2, seed=SEED
)

with tempfile.TemporaryDirectory() as folder:
    ddp_model, ddp_info = distributed.train_data_parallel(
        x_train, y_train, folder, world_size=2, **settings
    )
print(
    f"2 processes: training {ddp_info['seconds']:.2f} s, "
    f"{ddp_info['wall_seconds']:.1f} s with process start-up"
)

# %%
# The same training in one process
# --------------------------------
# :func:`~dlguide.torch.distributed.train_single_process` builds the model from the same seed and
# steps through the same global batches (from
# :func:`~dlguide.torch.distributed.global_batches`), each whole.
single_model, single_info = distributed.train_single_process(x_train, y_train, **settings)
print(f"1 process: training {single_info['seconds']:.2f} s")

# %%
# Are the weights equal?
# ----------------------
# Adding the same numbers in a different order changes the last bits of a float32 result, so we
# expect agreement to about 1e-7, not bit for bit. A bug such as forgetting to split the batch,
# or summing instead of averaging the gradients, would show up as differences of 0.01 or more.
difference = max(
    (a - b).abs().max().item()
    for a, b in zip(
        ddp_model.state_dict().values(), single_model.state_dict().values(), strict=True
    )
)
print(f"largest difference between the two models' weights: {difference:.2e}")

# %%
# Training curves and timings
# ---------------------------
# The loss per epoch (the mean over both ranks for DDP) lies on the single-process curve. The
# timings show the price of communication: on one CPU the two ranks share the same cores and
# wait for each other at every step, so DDP is not faster here. Its speed-up comes when each
# rank has its own GPU, and the model is large enough that computing a gradient takes longer
# than exchanging it.
import matplotlib.pyplot as plt
import numpy as np

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
epochs = np.arange(1, settings["epochs"] + 1)
left.plot(epochs, single_info["losses"], "o-", label="1 process")
left.plot(epochs, ddp_info["losses"], "x--", markersize=10, label="DDP, 2 processes")
left.set(xlabel="epoch", ylabel="training loss", title="Same curve")
left.legend()
left.grid(alpha=0.3)
names = ["1 process\n(training)", "DDP\n(training)", "DDP\n(with start-up)"]
seconds = [single_info["seconds"], ddp_info["seconds"], ddp_info["wall_seconds"]]
right.bar(names, seconds, color=["C0", "C1", "C1"])
right.set(ylabel="seconds (log scale)", yscale="log", title="Time on this machine's CPU")
fig.tight_layout()

# %%
# The key numbers
# ---------------
# Both models have the same accuracy on the 450 test images, next to a majority-class baseline.
import dlguide

ddp_accuracy = evaluate(ddp_model, (x_test, y_test), device="cpu")["accuracy"]
single_accuracy = evaluate(single_model, (x_test, y_test), device="cpu")["accuracy"]
baseline = np.mean(y_test == np.bincount(y_train).argmax())
dlguide.report(
    max_weight_difference=difference,
    ddp_test_accuracy=ddp_accuracy,
    single_process_test_accuracy=single_accuracy,
    baseline_accuracy=baseline,
    ddp_seconds=ddp_info["seconds"],
    single_process_seconds=single_info["seconds"],
)

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
