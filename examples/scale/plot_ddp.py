"""
Data-parallel training with PyTorch DDP
=======================================

With distributed data parallelism (DDP, :footcite:t:`li2020pytorch`) each of several processes
holds a full copy of the model, computes gradients on its own share of every batch, and an
all-reduce averages the gradients before every step so the copies never drift apart. We start two
processes with ``torch.multiprocessing.spawn``, let each train an MLP on its half of every global
batch of digits, and then train the same model in one process on the same global batches: the
final weights agree up to float rounding. Two CPU processes on one machine stand in for GPUs or
machines, so the page shows correctness, not speed.
"""

# sphinx_gallery_parallel = False

# %%
# The code each process runs
# --------------------------
# ``dlguide.torch.distributed.train_worker`` is the whole recipe, printed here from the
# library. Each process joins a process group (``gloo``, which works on CPUs and talks over
# 127.0.0.1 here; on NVIDIA GPUs one uses ``nccl``), wraps its model in
# ``DistributedDataParallel``, and reads its share of the data through a
# ``DistributedSampler``: every epoch the sampler shuffles all examples with the same seed on
# every rank, and rank ``r`` takes examples ``r``, ``r + 2``, ``r + 4``, ... of that order.
# ``sampler.set_epoch(epoch)`` is easy to forget, and without it every epoch repeats the first
# one's order. The loss is the *mean* over each rank's share, so the averaged gradient is the
# gradient of the mean loss over the whole global batch.
#
# ``torch.multiprocessing.spawn`` starts each worker as a fresh Python process that imports the
# launching script again, so a script must launch under ``if __name__ == "__main__":``, as every
# cell below does (this page then runs the same from a shell and in the documentation build).

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[torch], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import inspect
import time

start = time.perf_counter()

from dlguide.torch import distributed

if __name__ == "__main__":
    print(inspect.getsource(distributed.train_worker))

# %%
# Two processes, one global batch of 64 split in halves
# -----------------------------------------------------
# :func:`dlguide.torch.distributed.train_data_parallel` writes the data and settings to a
# temporary folder, calls ``torch.multiprocessing.spawn(train_worker, nprocs=2, ...)`` and loads
# the weights rank 0 ends with. We train 5 epochs with plain SGD on the training digits, a small
# job, so process start-up dominates the wall time.
import tempfile

from dlguide.data import load_digits
from dlguide.torch import evaluate, get_device

SEED = 0
device = get_device()
(x_train, y_train), (x_test, y_test) = load_digits()
settings = dict(
    num_outputs=10, num_hiddens=(64,), global_batch_size=64, epochs=5, lr=0.2, seed=SEED
)

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        ddp_model, ddp_info = distributed.train_data_parallel(
            x_train, y_train, folder, world_size=2, **settings
        )
    print(f"{len(x_train)} training images, {settings['global_batch_size']} per step")
    print(
        f"2 processes: training {ddp_info['seconds']:.2f} s, "
        f"{ddp_info['wall_seconds']:.1f} s with process start-up"
    )

# %%
# The same training in one process
# --------------------------------
# :func:`~dlguide.torch.distributed.train_single_process` builds the model from the same seed and
# reads the same global batches whole, from a ``DistributedSampler`` with a single replica: the
# same shuffle, so each of its batches is the union of the two ranks' shares.
if __name__ == "__main__":
    single_model, single_info = distributed.train_single_process(x_train, y_train, **settings)
    print(f"1 process: training {single_info['seconds']:.2f} s")

# %%
# Are the weights equal?
# ----------------------
# Adding the same numbers in a different order changes the last bits of a float32 result, so we
# expect agreement up to float32 rounding, not bit for bit. A bug such as letting both ranks
# read the same examples, or summing instead of averaging the gradients, would show up as
# differences many orders of magnitude larger.
# The equality needs a loss that is a per-example mean, shares of equal size and a model without
# batch statistics: a BatchNorm layer :footcite:p:`ioffe2015batch` would normalise each share
# by its own mean (PyTorch's ``torch.nn.SyncBatchNorm``, used with DDP, computes the statistics
# over the global batch).
if __name__ == "__main__":
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
# timings say little about speed: the two ranks share the same two CPU cores (with other jobs,
# on the machine that built this page) and wait for each other at every step, and most of the
# wall time goes into starting two Python processes that each import PyTorch. DDP's speed-up
# comes when each rank has its own GPU, and the model is large enough that computing a gradient
# takes longer than exchanging it.
import matplotlib.pyplot as plt
import numpy as np

if __name__ == "__main__":
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
# Both models have the same accuracy on the test images, next to a majority-class baseline.
import dlguide

if __name__ == "__main__":
    print(f"{len(x_test)} test images")
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
if __name__ == "__main__":
    dlguide.footer(seed=SEED, device=device, start=start)
    plt.show()

# %%
# References
# ----------
#
# .. footbibliography::
