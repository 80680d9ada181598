"""Data-parallel training with ``torch.distributed``: several processes, one model, equal weights.

Distributed data parallelism (DDP) runs one process per device. Every process holds a full copy of
the model, takes its own share of each global batch, computes gradients on it, and an all-reduce
averages the gradients across processes before every optimizer step, so all copies stay equal
(Li et al. 2020, "PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
Proceedings of the VLDB Endowment 13(12):3005-3018, https://doi.org/10.14778/3415478.3415530).

This module runs that on one machine, on the CPU, with the ``gloo`` backend over loopback
(127.0.0.1) only. :func:`train_data_parallel` starts the processes with
:func:`torch.multiprocessing.spawn` (start method ``"spawn"``, which works on Linux, macOS and
Windows); each runs ``train_worker``, the whole DDP recipe in one function:
:class:`~torch.utils.data.distributed.DistributedSampler` gives each rank its share of every
shuffled epoch (``set_epoch`` reshuffles), :class:`~torch.nn.parallel.DistributedDataParallel`
all-reduces the gradients.

* :func:`train_single_process` trains the same :class:`~dlguide.torch.MLP` in this process on the
  same global batches (the same sampler with one replica): the reference.
* :func:`train_data_parallel` trains it in ``world_size`` processes, each on
  ``global_batch_size // world_size`` examples per step, and returns the model rank 0 ends with.

With plain SGD, a loss that is the *mean* over the examples of each share, equal shares and no
batch statistics (no BatchNorm, or ``SyncBatchNorm``), the two agree up to float rounding (about
1e-7): the mean of the per-process mean gradients is the mean gradient of the global batch.

A script that calls :func:`train_data_parallel` must do so under ``if __name__ == "__main__":``,
because ``spawn`` starts each worker by re-importing the launching script.
:func:`global_batches` (the batch order of the Keras twin) is re-exported for comparison.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from dlguide._batches import global_batches
from dlguide._checks import ArrayLike
from dlguide._distributed import check_data, check_out_dir, check_settings
from dlguide.torch.device import seed_everything
from dlguide.torch.mlp import MLP

__all__ = ["global_batches", "train_data_parallel", "train_single_process", "train_worker"]

LOOPBACK = "127.0.0.1"


# --- helpers -----------------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def loopback_interface() -> str:
    """Name of the loopback network interface (``lo`` on Linux, ``lo0`` on macOS)."""
    names = [name for _, name in socket.if_nameindex()] if hasattr(socket, "if_nameindex") else []
    for name in ("lo", "lo0"):
        if name in names:
            return name
    return "lo"


def build_model(num_inputs: int, num_outputs: int, num_hiddens: Sequence[int], seed: int) -> MLP:
    """The MLP every process starts from: the same seed gives every process the same weights."""
    seed_everything(seed)
    return MLP(num_inputs=num_inputs, num_outputs=num_outputs, num_hiddens=num_hiddens)


# --- the reference: one process ----------------------------------------------------------------


def train_single_process(
    x: ArrayLike,
    y: ArrayLike,
    *,
    num_outputs: int,
    num_hiddens: Sequence[int] = (64,),
    global_batch_size: int = 64,
    epochs: int = 5,
    lr: float = 0.1,
    seed: int = 0,
) -> tuple[MLP, dict[str, Any]]:
    """Train an :class:`~dlguide.torch.MLP` with SGD in this process, one global batch per step.

    The batches come from a :class:`~torch.utils.data.distributed.DistributedSampler` with one
    replica, seeded like the ones of ``train_worker``: every epoch is the same permutation,
    so each global batch here is the union of the ranks' shares there.

    Args:
        x: Inputs of shape ``(N, ...)``; each example is flattened.
        y: Integer class labels of shape ``(N,)``.
        num_outputs: Classes, the number of logits.
        num_hiddens: Hidden layer widths of the MLP.
        global_batch_size: Examples per optimizer step; the incomplete last batch is dropped.
        epochs: Passes over the data.
        lr: SGD learning rate, > 0.
        seed: Seed of the initial weights and of the shuffling.

    Returns:
        ``(model, info)``: the trained model (on the CPU) and ``{"seconds": training time,
        "losses": mean training loss per epoch, "world_size": 1}``.

    Example:
        >>> import numpy as np
        >>> from dlguide.torch.distributed import train_single_process
        >>> x, y = np.random.rand(32, 4).astype("float32"), np.arange(32) % 2
        >>> model, info = train_single_process(x, y, num_outputs=2, global_batch_size=8, epochs=2)
        >>> len(info["losses"])
        2
    """
    settings = check_settings(x, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, 1)
    x, y = check_data(x, y, settings["global_batch_size"], 1)
    model = build_model(settings["num_inputs"], num_outputs, settings["num_hiddens"], seed)
    dataset = TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    sampler: DistributedSampler[int] = DistributedSampler(
        dataset, num_replicas=1, rank=0, seed=seed
    )
    loader = DataLoader(dataset, batch_size=global_batch_size, sampler=sampler, drop_last=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)  # created before the clock: its first
    begin = time.perf_counter()  # use in a process imports a lot, which is no training time
    losses = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        total = 0.0
        for inputs, labels in loader:
            loss = F.cross_entropy(model(inputs), labels)  # mean over the global batch
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total / len(loader))
    return model, {"seconds": time.perf_counter() - begin, "losses": losses, "world_size": 1}


# --- data parallel: one process per device -----------------------------------------------------


def train_worker(rank: int, world_size: int, port: int, out_dir: str) -> None:
    """One DDP process: train on this rank's share of every global batch.

    :func:`torch.multiprocessing.spawn` calls it with ``rank`` first. It reads the data and the
    settings :func:`train_data_parallel` wrote to ``out_dir`` and writes ``rank<r>.json`` (and
    ``weights.safetensors`` on rank 0) there.

    Args:
        rank: This process's number, ``0 <= rank < world_size``.
        world_size: Number of processes.
        port: A free TCP port on 127.0.0.1 where rank 0 listens.
        out_dir: The folder :func:`train_data_parallel` prepared.
    """
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    out = Path(out_dir)
    settings = json.loads((out / "config.json").read_text())
    data = load_file(str(out / "data.safetensors"))
    torch.set_num_threads(settings["threads"])  # share the CPU cores out among the processes
    dist.init_process_group(
        "gloo", init_method=f"tcp://{LOOPBACK}:{port}", rank=rank, world_size=world_size
    )
    try:
        model = build_model(
            settings["num_inputs"],
            settings["num_outputs"],
            settings["num_hiddens"],
            settings["seed"],
        )
        ddp = DistributedDataParallel(model)  # broadcasts rank 0's weights, hooks the all-reduce
        dataset = TensorDataset(data["x"], data["y"])
        # Rank r takes examples r, r + world_size, ... of a shuffle.
        sampler: DistributedSampler[int] = DistributedSampler(
            dataset, num_replicas=world_size, rank=rank, seed=settings["seed"], drop_last=True
        )
        local_batch_size = settings["global_batch_size"] // world_size
        loader = DataLoader(dataset, batch_size=local_batch_size, sampler=sampler, drop_last=True)
        optimizer = torch.optim.SGD(ddp.parameters(), lr=settings["lr"])

        dist.barrier()  # start the clock together
        begin = time.perf_counter()
        losses = []
        for epoch in range(settings["epochs"]):
            sampler.set_epoch(epoch)  # a new shuffle every epoch, the same one on every rank
            total = 0.0
            for inputs, labels in loader:
                loss = F.cross_entropy(ddp(inputs), labels)  # mean over this rank's share
                optimizer.zero_grad(set_to_none=True)
                loss.backward()  # DDP all-reduces here: every rank gets the mean gradient
                optimizer.step()
                total += loss.item()
            losses.append(total / len(loader))  # this rank's mean loss over the epoch
        seconds = time.perf_counter() - begin

        if rank == 0:
            state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
            save_file(state, str(out / "weights.safetensors"))
        (out / f"rank{rank}.json").write_text(json.dumps({"seconds": seconds, "losses": losses}))
        dist.barrier()
    finally:
        dist.destroy_process_group()


def train_data_parallel(
    x: ArrayLike,
    y: ArrayLike,
    out_dir: str | os.PathLike,
    *,
    num_outputs: int,
    num_hiddens: Sequence[int] = (64,),
    world_size: int = 2,
    global_batch_size: int = 64,
    epochs: int = 5,
    lr: float = 0.1,
    seed: int = 0,
) -> tuple[MLP, dict[str, Any]]:
    """Train the model of :func:`train_single_process` with DDP in ``world_size`` processes.

    Writes the data and settings to ``out_dir``, starts ``world_size`` processes running
    ``train_worker`` with ``torch.multiprocessing.spawn`` (they talk over 127.0.0.1 with the
    ``gloo`` backend, and share the CPU threads out among them), waits for them and loads the
    weights rank 0 ends with. Call it under ``if __name__ == "__main__":`` in a script.

    Args:
        x: Inputs of shape ``(N, ...)``; each example is flattened.
        y: Integer class labels of shape ``(N,)``.
        out_dir: An existing (temporary) folder for the data, settings and results.
        num_outputs: Classes, the number of logits.
        num_hiddens: Hidden layer widths of the MLP.
        world_size: Number of processes, >= 1.
        global_batch_size: Examples per optimizer step over all processes; divisible by
            ``world_size``.
        epochs: Passes over the data.
        lr: SGD learning rate, > 0.
        seed: Seed of the initial weights and of the shuffling.

    Returns:
        ``(model, info)``: the model rank 0 ends with, and ``{"seconds": rank 0's training time,
        "wall_seconds": time including process start-up, "losses": mean training loss per epoch
        over all processes, "world_size": world_size}``.

    Raises:
        ValueError: If an argument is out of range or ``out_dir`` is not a folder.
        TypeError: If an argument has the wrong type.
        torch.multiprocessing.ProcessRaisedException: If a worker raises (with its traceback).

    Example:
        >>> import tempfile, numpy as np
        >>> from dlguide.torch.distributed import train_data_parallel
        >>> x, y = np.random.rand(32, 4).astype("float32"), np.arange(32) % 2
        >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
        ...     model, info = train_data_parallel(x, y, tmp, num_outputs=2, global_batch_size=8)
    """
    import torch.multiprocessing as mp

    settings = check_settings(
        x, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, world_size
    )
    x, y = check_data(x, y, global_batch_size, world_size)
    out = check_out_dir(out_dir)
    settings["threads"] = max(1, torch.get_num_threads() // world_size)
    save_file({"x": torch.from_numpy(x), "y": torch.from_numpy(y)}, str(out / "data.safetensors"))
    (out / "config.json").write_text(json.dumps(settings))

    os.environ.setdefault("GLOO_SOCKET_IFNAME", loopback_interface())  # keep gloo on loopback
    begin = time.perf_counter()
    mp.spawn(train_worker, args=(world_size, free_port(), str(out)), nprocs=world_size, join=True)
    wall = time.perf_counter() - begin

    model = build_model(settings["num_inputs"], num_outputs, settings["num_hiddens"], seed)
    model.load_state_dict(load_file(str(out / "weights.safetensors")))
    results = [json.loads((out / f"rank{rank}.json").read_text()) for rank in range(world_size)]
    losses = np.mean([r["losses"] for r in results], axis=0).tolist()  # equal shares: global mean
    return model, {
        "seconds": results[0]["seconds"],
        "wall_seconds": wall,
        "losses": losses,
        "world_size": world_size,
    }
