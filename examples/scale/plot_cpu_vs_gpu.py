"""
CPU or GPU? Timing a training step and a matrix product
=======================================================

Deep learning runs mostly on GPUs because its work is dominated by large matrix products, which
a GPU computes with thousands of simple arithmetic units in parallel. This page measures what
your own hardware does: the time of one training step (forward pass, backward pass, optimizer
step) of a small CNN for several batch sizes, and the speed of a large matrix product in
billions of floating-point operations per second (GFLOP/s), on the CPU and, when one is
present, a CUDA GPU (NVIDIA, or AMD through PyTorch's ROCm build) or an Apple (MPS) GPU. The
site is built on a machine without a GPU, so the figures there show the CPU alone, and with one
compute thread (the build gives each page one, on two cores shared with other jobs); run on your
own computer, PyTorch uses all its cores.
"""

# %%
# Which devices are there?
# ------------------------

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

from dlguide.torch import get_device, seed_everything

SEED = 0
seed_everything(SEED)
device = get_device()
devices = ["cpu"]
if torch.cuda.is_available():
    devices.append("cuda")
if torch.backends.mps.is_available():
    devices.append("mps")
print(f"devices found: {devices}; CPU threads: {torch.get_num_threads()}")
if devices == ["cpu"]:
    print("No GPU here: every measurement below is for the CPU alone.")

# %%
# A careful timer
# ---------------
# GPUs run asynchronously: a PyTorch call returns as soon as the work is queued. A fair timer
# therefore waits for the device to finish (``synchronize``) before reading the clock, makes a
# warm-up call first (the first call allocates memory and picks algorithms), and keeps the
# fastest of three repetitions, which is the least disturbed by other programs.


def synchronize(name: str) -> None:
    if name == "cuda":
        torch.cuda.synchronize()
    elif name == "mps":
        torch.mps.synchronize()


def best_time(function, name: str, repeats: int = 3, warmup: int = 1) -> float:
    """Fastest wall time of ``function()`` in seconds, after warm-up."""
    for _ in range(warmup):
        function()
    synchronize(name)
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        function()
        synchronize(name)
        times.append(time.perf_counter() - begin)
    return min(times)


# %%
# One training step of a small CNN
# --------------------------------
# :class:`dlguide.torch.LeNet` (:footcite:t:`lecun1998gradient`) on random 28x28 images (the
# data does not matter for timing). Every step has costs that do not grow with the batch
# (Python overhead, starting each operation, updating the weights), and larger batches spread
# them over more images and give the hardware more independent work: the time per *image* falls
# until those fixed costs are small and the device is busy. With a single CPU thread, as on the
# machine that built this page (whose two cores are also shared with other jobs), that point
# comes at a modest batch size: beyond it the time per image stays about flat or can even rise,
# and the figures vary between builds.
from torch.nn import functional as F

from dlguide.torch.cnn import LeNet

BATCH_SIZES = [16, 64, 256]
step_ms = {}
for name in devices:
    model = LeNet(image_size=28).to(name)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    step_ms[name] = []
    for batch_size in BATCH_SIZES:
        x = torch.randn(batch_size, 1, 28, 28, device=name)
        y = torch.randint(0, 10, (batch_size,), device=name)

        def step(model=model, optimizer=optimizer, x=x, y=y):
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            optimizer.step()

        step_ms[name].append(1000 * best_time(step, name))
        print(f"{name}: batch {batch_size:>4}: {step_ms[name][-1]:7.2f} ms per step")

# %%
# Matrix product speed
# --------------------
# Multiplying two n x n matrices takes 2n³ floating-point operations (n³ multiplications and as
# many additions) on 3n² numbers: the larger the matrices, the more arithmetic per number
# fetched from memory, and the closer a device comes to its peak speed, as long as nothing else
# competes for it: on a busy machine a long product is more likely to be interrupted, so the
# largest sizes can come out slower. A single CPU thread, as on the machine that built this
# page, may already be close to its peak at the smallest size, so its curve can come out about
# flat. We measure float32 products of growing size.
SIZES = [128, 256, 512, 1024]
gflops = {}
for name in devices:
    gflops[name] = []
    for n in SIZES:
        a, b = torch.randn(n, n, device=name), torch.randn(n, n, device=name)
        seconds = best_time(lambda a=a, b=b: a @ b, name)
        gflops[name].append(2 * n**3 / seconds / 1e9)
    print(
        f"{name}: "
        + ", ".join(f"n={n}: {g:.0f}" for n, g in zip(SIZES, gflops[name], strict=True))
        + " GFLOP/s"
    )

# %%
# The measurements
# ----------------
# Left: milliseconds per image for one training step; right: GFLOP/s of the matrix product. One
# CPU core reaches from tens of GFLOP/s to one or two hundred (wide vector units); all the
# cores of a laptop together some hundreds (more with built-in matrix units); a large many-core
# server thousands. A data-centre GPU is in another league: NVIDIA's datasheet for the H100
# (SXM), a 2022 design still widely used (newer generations are faster still), gives about
# 67 TFLOPS in float32 and about 989 TFLOPS for dense bfloat16 products on its tensor cores,
# some 15 times more :footcite:p:`nvidia2023h100`. Already in 2009, deep belief networks
# trained tens of times faster on a GPU than on a dual-core CPU :footcite:p:`raina2009large`;
# how much faster a given training runs depends on both devices, and a GPU pays off only once
# the batches and layers are large enough to keep it busy. For tiny models a GPU can even lose:
# launching each operation has a fixed cost, whatever its size, and the data must first be
# copied to the GPU.
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
for name in devices:
    per_image = [ms / size for ms, size in zip(step_ms[name], BATCH_SIZES, strict=True)]
    left.plot(BATCH_SIZES, per_image, marker="o", label=name)
    right.plot(SIZES, gflops[name], marker="o", label=name)
left.set(
    xscale="log",
    yscale="log",
    xlabel="batch size",
    ylabel="ms per image",
    title="One LeNet training step",
    xticks=BATCH_SIZES,
    xticklabels=map(str, BATCH_SIZES),
)
right.set_ylim(bottom=0)  # from zero, so a spread of a few percent does not look like a dip
right.set(
    xscale="log",
    xlabel="matrix size n",
    ylabel="GFLOP/s",
    title="float32 matmul",
    xticks=SIZES,
    xticklabels=map(str, SIZES),
)
for ax in (left, right):
    ax.xaxis.set_minor_formatter(plt.NullFormatter())  # label only the sizes we measured
    ax.grid(alpha=0.3, which="both")
    ax.legend()
left.yaxis.set_major_formatter(plt.FormatStrFormatter("%.3g"))  # 1.5, not 1.5 x 10^0
left.yaxis.set_minor_formatter(plt.FormatStrFormatter("%.3g"))
fig.tight_layout()

# %%
# The key numbers
# ---------------
# The CPU's step time at batch 256 and its best matmul speed, next to the speed of the smallest
# product as a baseline.
import dlguide

dlguide.report(
    cpu_step_ms_batch_256=step_ms["cpu"][-1],
    cpu_matmul_gflops=max(gflops["cpu"]),
    cpu_matmul_gflops_n128=gflops["cpu"][0],
)

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
