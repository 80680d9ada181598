"""Data-parallel training with ``torch.distributed``: several processes, one model, equal weights.

Distributed data parallelism (DDP) runs one process per device. Every process holds a full copy of
the model, takes its own slice of each global batch, computes gradients on it, and an all-reduce
averages the gradients across processes before every optimizer step, so all copies stay equal.
Li et al. (2020), "PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
Proceedings of the VLDB Endowment 13(12):3005-3018, https://arxiv.org/abs/2006.15704.

This module runs that on one machine with the CPU-friendly ``gloo`` backend, over loopback
(127.0.0.1) only, and launches the processes the way ``torchrun`` does: each one is
``python -m dlguide.torch.distributed OUT_DIR`` with ``MASTER_ADDR``, ``MASTER_PORT``, ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK`` in its environment. It needs an importable module (not a
script's ``__main__``) because the workers are new Python processes.

* :func:`global_batches` fixes the order of examples, shared by every way of training.
* :func:`train_single_process` trains an :class:`~dlguide.torch.MLP` in this process, one global
  batch per step: the reference.
* :func:`train_data_parallel` trains the same model on the same global batches in
  ``world_size`` worker processes, each on ``global_batch_size // world_size`` examples per step,
  and returns the model rank 0 ends with. With plain SGD the two agree up to float rounding
  (about 1e-7), because the mean of the per-process mean gradients is the full-batch mean gradient.

Workers read their data and settings from ``OUT_DIR`` (``data.safetensors``, ``config.json``) and
write their results there (``weights.safetensors`` from rank 0, ``rank<r>.json`` from each).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch.nn import functional as F

from dlguide._batches import global_batches
from dlguide._checks import (
    check_array,
    check_float,
    check_int,
    check_int_sequence,
    check_positive_int,
)
from dlguide.torch.device import seed_everything
from dlguide.torch.mlp import MLP

ENV_VARS = ("MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE", "LOCAL_RANK")
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


def _check_data(x, y, global_batch_size: int, world_size: int) -> tuple[np.ndarray, np.ndarray]:
    x = check_array("x", x).astype(np.float32)
    y = check_array("y", y, ndim=1)
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
    if x.ndim < 2 or len(x) != len(y):
        raise ValueError(f"x must have shape (N, ...) with N = len(y) = {len(y)}, got {x.shape}")
    if global_batch_size % world_size:
        raise ValueError(
            f"global_batch_size ({global_batch_size}) must be divisible by "
            f"world_size ({world_size})"
        )
    if len(x) < global_batch_size:
        raise ValueError(
            f"x must hold at least global_batch_size ({global_batch_size}) examples, got {len(x)}"
        )
    return np.ascontiguousarray(x), y.astype(np.int64)


def _build_model(num_inputs: int, num_outputs: int, num_hiddens: Sequence[int], seed: int) -> MLP:
    seed_everything(seed)  # the same seed gives every process the same initial weights
    return MLP(num_inputs=num_inputs, num_outputs=num_outputs, num_hiddens=num_hiddens)


# --- training ----------------------------------------------------------------------------------


def _train(model, optimizer, x, y, batches, *, rank: int, world_size: int) -> list[float]:
    """One step per batch on this rank's ``1/world_size`` slice of it; returns epoch losses."""
    local = len(batches[0]) // world_size
    steps_per_epoch = len(x) // len(batches[0])
    losses, total = [], 0.0
    for step, batch in enumerate(batches):
        mine = torch.from_numpy(batch[rank * local : (rank + 1) * local])  # (global,) -> (local,)
        loss = F.cross_entropy(model(x[mine]), y[mine])  # mean over this process's slice
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # under DDP: the all-reduce averages gradients across processes here
        optimizer.step()
        total += loss.item()
        if (step + 1) % steps_per_epoch == 0:
            losses.append(total / steps_per_epoch)
            total = 0.0
    return losses


def train_single_process(
    x,
    y,
    *,
    num_outputs: int,
    num_hiddens: Sequence[int] = (64,),
    global_batch_size: int = 64,
    epochs: int = 5,
    lr: float = 0.1,
    seed: int = 0,
) -> tuple[MLP, dict]:
    """Train an :class:`~dlguide.torch.MLP` with SGD in this process, one global batch per step.

    Args:
        x: Inputs of shape ``(N, ...)``; each example is flattened.
        y: Integer class labels of shape ``(N,)``.
        num_outputs: Classes, the number of logits.
        num_hiddens: Hidden layer widths of the MLP.
        global_batch_size: Examples per optimizer step.
        epochs: Passes over the data.
        lr: SGD learning rate, > 0.
        seed: Seed of the initial weights and of :func:`global_batches`.

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
    settings = _settings(x, y, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, 1)
    x, y = _check_data(x, y, settings["global_batch_size"], 1)
    model = _build_model(settings["num_inputs"], num_outputs, settings["num_hiddens"], seed)
    batches = global_batches(len(x), global_batch_size=global_batch_size, epochs=epochs, seed=seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)  # created before the clock: its first
    begin = time.perf_counter()  # use in a process imports a lot, which is no training time
    losses = _train(
        model, optimizer, torch.from_numpy(x), torch.from_numpy(y), batches, rank=0, world_size=1
    )
    return model, {"seconds": time.perf_counter() - begin, "losses": losses, "world_size": 1}


def _settings(
    x, y, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, world_size
) -> dict:
    """Validate the shared arguments and return them as a JSON-ready dict."""
    shape = np.shape(x)
    return {
        "num_inputs": int(np.prod(shape[1:])) if len(shape) > 1 else 0,
        "num_outputs": check_positive_int("num_outputs", num_outputs),
        "num_hiddens": list(check_int_sequence("num_hiddens", num_hiddens)),
        "global_batch_size": check_positive_int("global_batch_size", global_batch_size),
        "epochs": check_positive_int("epochs", epochs),
        "lr": check_float("lr", lr, minimum=0.0, exclusive_minimum=True),
        "seed": check_int("seed", seed, minimum=0),
        "world_size": check_positive_int("world_size", world_size),
    }


def train_data_parallel(
    x,
    y,
    out_dir: str | os.PathLike,
    *,
    num_outputs: int,
    num_hiddens: Sequence[int] = (64,),
    world_size: int = 2,
    global_batch_size: int = 64,
    epochs: int = 5,
    lr: float = 0.1,
    seed: int = 0,
    timeout: float = 120.0,
) -> tuple[MLP, dict]:
    """Train the model of :func:`train_single_process` with DDP in ``world_size`` processes.

    The processes are started as ``torchrun`` would start them (``python -m
    dlguide.torch.distributed OUT_DIR`` with the ``MASTER_ADDR=127.0.0.1``, ``MASTER_PORT``,
    ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` environment variables), talk over loopback with
    the ``gloo`` backend, and each trains on its ``global_batch_size // world_size`` examples of
    every global batch. The CPU threads are shared out among them.

    Args:
        x: Inputs of shape ``(N, ...)``; each example is flattened.
        y: Integer class labels of shape ``(N,)``.
        out_dir: An existing (temporary) folder for the data, settings, logs and results.
        num_outputs: Classes, the number of logits.
        num_hiddens: Hidden layer widths of the MLP.
        world_size: Number of processes, >= 1.
        global_batch_size: Examples per optimizer step over all processes; divisible by
            ``world_size``.
        epochs: Passes over the data.
        lr: SGD learning rate, > 0.
        seed: Seed of the initial weights and of :func:`global_batches`.
        timeout: Seconds to wait for the processes before stopping them.

    Returns:
        ``(model, info)``: the model rank 0 ends with, and ``{"seconds": rank 0's training time,
        "wall_seconds": time including process start-up, "losses": mean training loss per epoch
        over all processes, "world_size": world_size}``.

    Raises:
        ValueError: If an argument is out of range or ``out_dir`` is not a folder.
        TypeError: If an argument has the wrong type.
        RuntimeError: If a worker fails or times out (the message holds the end of its log).

    Example:
        >>> import tempfile, numpy as np
        >>> from dlguide.torch.distributed import train_data_parallel
        >>> x, y = np.random.rand(32, 4).astype("float32"), np.arange(32) % 2
        >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
        ...     model, info = train_data_parallel(x, y, tmp, num_outputs=2, global_batch_size=8)
    """
    settings = _settings(
        x, y, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, world_size
    )
    timeout = check_float("timeout", timeout, minimum=0.0, exclusive_minimum=True)
    x, y = _check_data(x, y, global_batch_size, world_size)
    out = Path(os.fspath(out_dir))
    if not out.is_dir():
        raise ValueError(f"out_dir must be an existing folder, got {str(out)!r}")
    settings["threads"] = max(1, torch.get_num_threads() // world_size)
    save_file({"x": torch.from_numpy(x), "y": torch.from_numpy(y)}, str(out / "data.safetensors"))
    (out / "config.json").write_text(json.dumps(settings))

    port = str(free_port())
    begin = time.perf_counter()
    workers = []
    for rank in range(world_size):
        env = dict(
            os.environ,
            MASTER_ADDR=LOOPBACK,
            MASTER_PORT=port,
            RANK=str(rank),
            WORLD_SIZE=str(world_size),
            LOCAL_RANK=str(rank),
        )
        env.setdefault("GLOO_SOCKET_IFNAME", loopback_interface())  # keep gloo on loopback
        log = open(out / f"rank{rank}.log", "w")  # noqa: SIM115 - closed after the wait below
        command = [sys.executable, "-m", "dlguide.torch.distributed", str(out)]
        workers.append(
            (subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT), log)
        )
    _wait(workers, out, timeout)
    wall = time.perf_counter() - begin

    model = _build_model(settings["num_inputs"], num_outputs, settings["num_hiddens"], seed)
    model.load_state_dict(load_file(str(out / "weights.safetensors")))
    results = [json.loads((out / f"rank{rank}.json").read_text()) for rank in range(world_size)]
    losses = np.mean([r["losses"] for r in results], axis=0).tolist()  # equal slices: global mean
    return model, {
        "seconds": results[0]["seconds"],
        "wall_seconds": wall,
        "losses": losses,
        "world_size": world_size,
    }


def _wait(workers, out: Path, timeout: float) -> None:
    """Wait for every worker; stop them all and raise if one fails or the time runs out."""
    deadline = time.monotonic() + timeout
    failed = None
    try:
        for rank, (process, _) in enumerate(workers):
            try:
                code = process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                failed = f"rank {rank} did not finish within {timeout:.0f} s"
                break
            if code != 0:
                failed = f"rank {rank} exited with code {code}"
                break
    finally:
        for process, log in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
    if failed:
        tail = (out / f"rank{rank}.log").read_text()[-2000:]
        raise RuntimeError(f"data-parallel training failed: {failed}. Its log ends with:\n{tail}")


# --- worker (one per process) ------------------------------------------------------------------


def worker(out_dir: str | os.PathLike) -> None:
    """Train this process's share; run by ``python -m dlguide.torch.distributed OUT_DIR``.

    Reads the torchrun environment variables, joins the ``gloo`` process group, wraps the model in
    :class:`~torch.nn.parallel.DistributedDataParallel`, trains on this rank's slice of every
    global batch and writes ``rank<r>.json`` (and ``weights.safetensors`` on rank 0) to ``out_dir``.

    Args:
        out_dir: The folder :func:`train_data_parallel` prepared.

    Raises:
        RuntimeError: If one of the torchrun environment variables is missing.
    """
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    missing = [name for name in ENV_VARS if name not in os.environ]
    if missing:
        raise RuntimeError(f"missing torchrun environment variables: {', '.join(missing)}")
    out = Path(os.fspath(out_dir))
    settings = json.loads((out / "config.json").read_text())
    data = load_file(str(out / "data.safetensors"))
    torch.set_num_threads(settings["threads"])

    dist.init_process_group("gloo")  # reads MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
    try:
        rank, world_size = dist.get_rank(), dist.get_world_size()
        model = _build_model(
            settings["num_inputs"],
            settings["num_outputs"],
            settings["num_hiddens"],
            settings["seed"],
        )
        ddp = DistributedDataParallel(model)  # broadcasts rank 0's weights, hooks the all-reduce
        batches = global_batches(
            len(data["x"]),
            global_batch_size=settings["global_batch_size"],
            epochs=settings["epochs"],
            seed=settings["seed"],
        )
        optimizer = torch.optim.SGD(ddp.parameters(), lr=settings["lr"])
        dist.barrier()  # start the clock together
        begin = time.perf_counter()
        losses = _train(
            ddp, optimizer, data["x"], data["y"], batches, rank=rank, world_size=world_size
        )
        seconds = time.perf_counter() - begin
        if rank == 0:
            state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
            save_file(state, str(out / "weights.safetensors"))
        (out / f"rank{rank}.json").write_text(json.dumps({"seconds": seconds, "losses": losses}))
        dist.barrier()
    finally:
        dist.destroy_process_group()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dlguide.torch.distributed OUT_DIR``."""
    import argparse

    parser = argparse.ArgumentParser(
        description="One data-parallel worker (launched like torchrun)."
    )
    parser.add_argument("out_dir", help="folder prepared by train_data_parallel()")
    worker(parser.parse_args(argv).out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
