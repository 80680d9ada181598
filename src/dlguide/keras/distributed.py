"""Data-parallel training with ``tf.distribute``: the twin of :mod:`dlguide.torch.distributed`.

:class:`tf.distribute.MirroredStrategy` keeps one copy (replica) of the model per device inside a
single process, splits every global batch among the replicas and sums their gradients with an
all-reduce before each step, so the copies stay equal. The idea is the same as PyTorch's DDP:
Li et al. (2020), "PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
https://arxiv.org/abs/2006.15704; for TensorFlow's design see Abadi et al. (2016), "TensorFlow: A
system for large-scale machine learning", https://arxiv.org/abs/1605.08695.

Without GPUs we split the one physical CPU into ``world_size`` logical CPU devices with
``tf.config.set_logical_device_configuration``. That call must come before TensorFlow sets up its
devices, which any earlier TensorFlow work in the process does, so the mirrored training runs in a
fresh process: ``python -m dlguide.keras.distributed OUT_DIR``.

* :func:`global_batches` fixes the order of examples, shared by both Keras runs (the PyTorch
  twin shuffles with ``torch.utils.data.distributed.DistributedSampler`` instead).
* :func:`train_single_process` trains an :class:`~dlguide.keras.MLP` with ``fit`` on one device,
  one global batch per step: the reference.
* :func:`train_data_parallel` trains the same model on the same global batches under
  ``MirroredStrategy`` over ``world_size`` logical CPUs in a worker process and returns it.

The worker reads ``data.safetensors`` and ``config.json`` from ``OUT_DIR`` and writes
``weights.safetensors`` and ``rank0.json`` there.

:func:`train_data_parallel` and ``worker`` need the TensorFlow backend (``RuntimeError``
under another): the worker trains with ``tf.distribute``, and its result is compared with
:func:`train_single_process`, whose initial weights must come from the same backend and seed.
:func:`train_single_process` runs on any backend.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import keras
import numpy as np
from safetensors.numpy import load_file, save_file

from dlguide._batches import global_batches
from dlguide._checks import ArrayLike, check_float
from dlguide._distributed import check_data, check_out_dir, check_settings
from dlguide.keras._backend import require_tensorflow_backend
from dlguide.keras.mlp import MLP

# --- helpers -----------------------------------------------------------------------------------


def _build_model(settings: dict[str, Any]) -> MLP:
    """The compiled MLP; the same seed gives every process the same initial weights."""
    keras.utils.set_random_seed(settings["seed"])
    model = MLP(
        num_inputs=settings["num_inputs"],
        num_outputs=settings["num_outputs"],
        num_hiddens=settings["num_hiddens"],
        input_shape=settings["input_shape"],
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=settings["lr"]),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


# --- training ----------------------------------------------------------------------------------


def _train(model: MLP, x: np.ndarray, y: np.ndarray, settings: dict[str, Any]) -> list[float]:
    """``fit`` one epoch at a time on the global batches, in order. Returns epoch losses."""
    batch_size = settings["global_batch_size"]
    batches = global_batches(
        len(x), global_batch_size=batch_size, epochs=settings["epochs"], seed=settings["seed"]
    )
    steps = len(x) // batch_size
    losses = []
    for epoch in range(settings["epochs"]):
        order = np.concatenate(batches[epoch * steps : (epoch + 1) * steps])  # this epoch's batches
        history = model.fit(
            x[order], y[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=0
        )  # under MirroredStrategy each replica gets batch/world_size
        losses.append(float(history.history["loss"][0]))
    return losses


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
    """Train an :class:`~dlguide.keras.MLP` with SGD on one device, one global batch per step.

    Args:
        x: Inputs of shape ``(N, ...)``; each example is flattened by the model.
        y: Integer class labels of shape ``(N,)``.
        num_outputs: Classes, the number of logits.
        num_hiddens: Hidden layer widths of the MLP.
        global_batch_size: Examples per optimizer step.
        epochs: Passes over the data.
        lr: SGD learning rate, > 0.
        seed: Seed of the initial weights and of :func:`global_batches`.

    Returns:
        ``(model, info)``: the trained model and ``{"seconds": training time (graph tracing
        included), "losses": mean training loss per epoch, "world_size": 1}``.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.distributed import train_single_process
        >>> x, y = np.random.rand(32, 4).astype("float32"), np.arange(32) % 2
        >>> model, info = train_single_process(x, y, num_outputs=2, global_batch_size=8, epochs=2)
        >>> len(info["losses"])
        2
    """
    settings = check_settings(x, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, 1)
    x, y = check_data(x, y, settings["global_batch_size"], 1)
    model = _build_model(settings)
    begin = time.perf_counter()
    losses = _train(model, x, y, settings)
    return model, {"seconds": time.perf_counter() - begin, "losses": losses, "world_size": 1}


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
    timeout: float = 600.0,
) -> tuple[MLP, dict[str, Any]]:
    """Train the model of :func:`train_single_process` under ``MirroredStrategy``.

    A fresh process (``python -m dlguide.keras.distributed OUT_DIR``) splits the CPU into
    ``world_size`` logical devices, builds the model inside ``strategy.scope()`` and fits it on
    the same global batches; each replica computes the gradient of its
    ``global_batch_size // world_size`` examples.

    Args:
        x: Inputs of shape ``(N, ...)``; each example is flattened by the model.
        y: Integer class labels of shape ``(N,)``.
        out_dir: An existing (temporary) folder for the data, settings, log and results.
        num_outputs: Classes, the number of logits.
        num_hiddens: Hidden layer widths of the MLP.
        world_size: Number of replicas (logical CPU devices), >= 1.
        global_batch_size: Examples per optimizer step over all replicas; divisible by
            ``world_size``.
        epochs: Passes over the data.
        lr: SGD learning rate, > 0.
        seed: Seed of the initial weights and of :func:`global_batches`.
        timeout: Seconds to wait for the worker before stopping it (generous: a shared CPU can
            slow the start-up of TensorFlow many times over).

    Returns:
        ``(model, info)``: the trained model and ``{"seconds": training time in the worker
        (graph tracing included), "wall_seconds": time including process start-up, "losses":
        mean training loss per epoch, "world_size": world_size, "devices": the replicas'
        device names}``.

    Raises:
        ValueError: If an argument is out of range or ``out_dir`` is not a folder.
        TypeError: If an argument has the wrong type.
        RuntimeError: If the worker fails or times out (the message holds the end of its log),
            or if Keras runs on a backend other than TensorFlow.

    Example:
        >>> import tempfile, numpy as np
        >>> from dlguide.keras.distributed import train_data_parallel
        >>> x, y = np.random.rand(32, 4).astype("float32"), np.arange(32) % 2
        >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
        ...     model, info = train_data_parallel(x, y, tmp, num_outputs=2, global_batch_size=8)
    """
    require_tensorflow_backend(
        "dlguide.keras.distributed.train_data_parallel", "trains with tf.distribute"
    )
    settings = check_settings(
        x, num_outputs, num_hiddens, global_batch_size, epochs, lr, seed, world_size
    )
    timeout = check_float("timeout", timeout, minimum=0.0, exclusive_minimum=True)
    x, y = check_data(x, y, global_batch_size, world_size)
    out = check_out_dir(out_dir)
    save_file({"x": x, "y": y}, str(out / "data.safetensors"))
    (out / "config.json").write_text(json.dumps(settings))

    env = dict(os.environ, KERAS_BACKEND="tensorflow")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    command = [sys.executable, "-m", "dlguide.keras.distributed", str(out)]
    begin = time.perf_counter()
    with open(out / "rank0.log", "w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            code = process.wait(timeout=timeout)
            failed = f"the worker exited with code {code}" if code else None
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            failed = f"the worker did not finish within {timeout:.0f} s"
    if failed:
        tail = (out / "rank0.log").read_text()[-2000:]
        raise RuntimeError(f"mirrored training failed: {failed}. Its log ends with:\n{tail}")
    wall = time.perf_counter() - begin

    model = _build_model(settings)
    weights = load_file(str(out / "weights.safetensors"))
    model.set_weights([weights[str(i)] for i in range(len(weights))])
    result = json.loads((out / "rank0.json").read_text())
    return model, {**result, "wall_seconds": wall, "world_size": world_size}


# --- worker (a fresh process) ------------------------------------------------------------------


def worker(out_dir: str | os.PathLike) -> None:
    """Run the mirrored training; run by ``python -m dlguide.keras.distributed OUT_DIR``.

    Splits the first physical CPU into ``world_size`` logical devices (which must happen before
    TensorFlow initialises its devices), builds and fits the model under
    :class:`tf.distribute.MirroredStrategy`, and writes ``weights.safetensors`` and ``rank0.json``
    to ``out_dir``.

    Args:
        out_dir: The folder :func:`train_data_parallel` prepared.

    Raises:
        RuntimeError: If TensorFlow had already initialised its devices in this process, or if
            Keras runs on a backend other than TensorFlow.
    """
    require_tensorflow_backend("dlguide.keras.distributed.worker", "trains with tf.distribute")
    import tensorflow as tf

    out = Path(os.fspath(out_dir))
    settings = json.loads((out / "config.json").read_text())
    data = load_file(str(out / "data.safetensors"))
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * settings["world_size"]
    )  # raises RuntimeError if the devices were set up already
    devices = [device.name for device in tf.config.list_logical_devices("CPU")]
    strategy = tf.distribute.MirroredStrategy(devices)
    with strategy.scope():  # variables are mirrored on every replica
        model = _build_model(settings)
    begin = time.perf_counter()
    losses = _train(model, data["x"], data["y"], settings)
    seconds = time.perf_counter() - begin
    save_file(
        {str(i): np.asarray(w) for i, w in enumerate(model.get_weights())},
        str(out / "weights.safetensors"),
    )
    (out / "rank0.json").write_text(
        json.dumps({"seconds": seconds, "losses": losses, "devices": devices})
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dlguide.keras.distributed OUT_DIR``."""
    import argparse

    parser = argparse.ArgumentParser(description="Mirrored training over logical CPU devices.")
    parser.add_argument("out_dir", help="folder prepared by train_data_parallel()")
    worker(parser.parse_args(argv).out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
