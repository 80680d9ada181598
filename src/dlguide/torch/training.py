"""One training loop for every model: :func:`fit`, :func:`evaluate` and :func:`predict`.

The loop knows nothing about any one architecture. It takes a model, data and a loss, runs the
five steps every PyTorch training loop runs (forward, loss, zero the gradients, backward, step)
and returns a history shaped like Keras' ``History.history``: ``{"loss": [...],
"accuracy": [...], "val_loss": [...], ...}``, one value per epoch.

A progress bar (tqdm) shows when standard error is a terminal; in notebooks, the docs build and
logs the loop stays quiet unless ``verbose=True``.
"""

from __future__ import annotations

import copy
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader

from dlguide._checks import ArrayLike, check_choice, check_int, check_positive_int
from dlguide.torch.data import to_loader
from dlguide.torch.device import get_device


def cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of class logits against class indices, in three layouts.

    ``(B, C)`` against ``(B,)``: one label per example. ``(B, T, C)`` against ``(B, T)``: one
    label per position of a sequence (a language model's logits end in the vocabulary).
    ``(B, C, H, W)`` against ``(B, H, W)``: one label per pixel (segmentation, channels first).
    """
    if y_hat.ndim == 3:
        return F.cross_entropy(y_hat.reshape(-1, y_hat.shape[-1]), y.reshape(-1))
    return F.cross_entropy(y_hat, y)


LOSSES: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "cross_entropy": cross_entropy,
    "mse": F.mse_loss,
    "mae": F.l1_loss,
    "bce_with_logits": F.binary_cross_entropy_with_logits,
}

Metric = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Fraction of rows whose largest logit is the true class."""
    return (y_hat.argmax(dim=-1) == y).float().mean()


METRICS: dict[str, Metric] = {"accuracy": accuracy}


class Callback:
    """Base class of training callbacks; override the hooks you need.

    Set ``self.stop_training = True`` in :meth:`on_epoch_end` to end training early.
    """

    stop_training: bool = False

    def on_train_begin(self, model: nn.Module) -> None:
        """Called once before the first epoch."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: nn.Module) -> None:
        """Called after every epoch with that epoch's metrics (``logs["val_loss"]``, ...)."""

    def on_train_end(self, model: nn.Module) -> None:
        """Called once after the last epoch."""


class EarlyStopping(Callback):
    """Stop when a monitored metric has not improved for ``patience`` epochs.

    Args:
        monitor: The history key to watch, such as ``"val_loss"`` or ``"val_accuracy"``.
        patience: Epochs without improvement to tolerate, >= 1.
        mode: ``"min"`` if smaller is better, ``"max"`` if larger is better.
        restore_best_weights: Put back the weights of the best epoch when training ends.
    """

    def __init__(
        self,
        *,
        monitor: str = "val_loss",
        patience: int = 5,
        mode: str = "min",
        restore_best_weights: bool = True,
    ) -> None:
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a str, got {type(monitor).__name__}")
        self.monitor = monitor
        self.patience = check_positive_int("patience", patience)
        self.mode = check_choice("mode", mode, ("min", "max"))
        self.restore_best_weights = bool(restore_best_weights)
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = -1
        self.stopped_epoch: int | None = None
        self._best_state: dict[str, torch.Tensor] | None = None

    def on_train_begin(self, model: nn.Module) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch, self.stopped_epoch, self.stop_training = -1, None, False

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: nn.Module) -> None:
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, but logs hold {sorted(logs)}"
            )
        value = logs[self.monitor]
        improved = value < self.best if self.mode == "min" else value > self.best
        if improved:
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self._best_state = copy.deepcopy(model.state_dict())
        elif epoch - self.best_epoch >= self.patience:
            self.stop_training, self.stopped_epoch = True, epoch

    def on_train_end(self, model: nn.Module) -> None:
        if self.restore_best_weights and self._best_state is not None:
            model.load_state_dict(self._best_state)


def _as_loader(
    data: DataLoader | tuple[ArrayLike, ArrayLike],
    batch_size: int,
    shuffle: bool,
    name: str,
    seed: int = 0,
) -> DataLoader:
    if isinstance(data, DataLoader):
        return data
    if isinstance(data, (tuple, list)) and len(data) == 2:
        x, y = data
        if isinstance(x, torch.Tensor):
            x = x.detach().cpu().numpy()
        if isinstance(y, torch.Tensor):
            y = y.detach().cpu().numpy()
        return to_loader(x, y, batch_size=batch_size, shuffle=shuffle, seed=seed)
    raise TypeError(
        f"{name} must be a DataLoader or an (x, y) pair of arrays, got {type(data).__name__}"
    )


def _resolve_loss(loss: str | Callable) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    if callable(loss):
        return loss
    return LOSSES[check_choice("loss", loss, LOSSES)]


def _resolve_metrics(metrics: Sequence[str | Metric] | None) -> dict[str, Metric]:
    resolved: dict[str, Metric] = {}
    for metric in metrics or ():
        if isinstance(metric, str):
            resolved[metric] = METRICS[check_choice("metric", metric, METRICS)]
        elif callable(metric):
            resolved[getattr(metric, "__name__", "metric")] = metric
        else:
            raise TypeError(f"metrics must be names or callables, got {type(metric).__name__}")
    return resolved


def _run_epoch(
    model: nn.Module,
    loader: DataLoader,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    metrics: dict[str, Metric],
    device: torch.device,
    optimizer: torch.optim.Optimizer | None = None,
    progress: Any = None,  # a tqdm progress bar
) -> dict[str, float]:
    """One pass over ``loader``, training when an optimizer is given; returns mean metrics."""
    training = optimizer is not None
    model.train(training)
    total = torch.zeros((), device=device)
    sums = {name: torch.zeros((), device=device) for name in metrics}
    count = 0
    with torch.set_grad_enabled(training):
        for x, y in loader:
            if x.device != device:
                x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            y_hat = model(x)
            loss = loss_fn(y_hat, y)
            if optimizer is not None:  # training
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
            n = len(x)
            total.add_(loss.detach(), alpha=n)  # summed on the device: no sync per batch
            for name, metric in metrics.items():
                sums[name].add_(metric(y_hat.detach(), y), alpha=n)
            count += n
            if progress is not None:
                progress.update(1)
    if count == 0:
        raise ValueError("the data loader yielded no batches")
    logs = {"loss": (total / count).item()}
    logs.update({name: (value / count).item() for name, value in sums.items()})
    return logs


def fit(
    model: nn.Module,
    train_data: DataLoader | tuple[ArrayLike, ArrayLike],
    *,
    epochs: int,
    loss: str | Callable = "cross_entropy",
    optimizer: torch.optim.Optimizer | None = None,
    lr: float = 1e-3,
    batch_size: int = 64,
    metrics: Sequence[str | Metric] | None = ("accuracy",),
    validation_data: DataLoader | tuple[ArrayLike, ArrayLike] | None = None,
    callbacks: Iterable[Callback] = (),
    device: str | torch.device | None = None,
    verbose: bool | None = None,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Train ``model`` and return its history, one value per epoch for every metric.

    Args:
        model: Any module mapping a batch of inputs to predictions.
        train_data: A :class:`~torch.utils.data.DataLoader` or an ``(x, y)`` pair of arrays
            (shuffled each epoch with ``seed``).
        epochs: Passes over the training data, >= 1.
        loss: ``"cross_entropy"`` (classes, or sequences of classes), ``"mse"``, ``"mae"``,
            ``"bce_with_logits"`` or a callable ``loss(y_hat, y)``.
        optimizer: An optimizer over the model's parameters; default Adam with ``lr``.
        lr: Learning rate of the default optimizer.
        batch_size: Batch size when ``train_data`` is arrays.
        metrics: Names (``"accuracy"``) or callables ``metric(y_hat, y)`` averaged per epoch;
            use ``None`` or ``()`` for regression.
        validation_data: Optional held-out data in the same forms; adds ``val_*`` keys.
        callbacks: :class:`Callback` objects such as :class:`EarlyStopping`.
        device: ``"cuda"``, ``"mps"``, ``"cpu"``, a :class:`torch.device`, or ``None`` for the
            best available (the model is moved there).
        verbose: Show a progress bar; ``None`` shows one only when standard error is a terminal.
        seed: Seed of the shuffling when ``train_data`` is arrays.

    Returns:
        A history dict with one list per metric and one value per epoch, such as
        ``{"loss": [...], "accuracy": [...], "val_loss": [...], ...}``.

    Example:
        >>> import numpy as np
        >>> from dlguide.torch import MLP, fit
        >>> x, y = np.random.rand(64, 4).astype("float32"), np.arange(64) % 2
        >>> history = fit(MLP(num_inputs=4, num_outputs=2), (x, y), epochs=2, device="cpu")
        >>> sorted(history)
        ['accuracy', 'loss']
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    check_int("seed", seed, minimum=0)
    device = device if isinstance(device, torch.device) else get_device(device)
    train_loader = _as_loader(train_data, batch_size, True, "train_data", seed)
    val_loader = None
    if validation_data is not None:
        val_loader = _as_loader(validation_data, batch_size, False, "validation_data")
    loss_fn = _resolve_loss(loss)
    metric_fns = _resolve_metrics(metrics)
    callbacks = list(callbacks)
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(f"callbacks must be Callback objects, got {type(callback).__name__}")

    model.to(device)
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    show = sys.stderr.isatty() if verbose is None else bool(verbose)
    progress = None
    if show:
        from tqdm.auto import tqdm

        progress = tqdm(total=epochs * len(train_loader), unit="batch", leave=False)

    history: dict[str, list[float]] = {}
    for callback in callbacks:
        callback.on_train_begin(model)
    for epoch in range(epochs):
        logs = _run_epoch(model, train_loader, loss_fn, metric_fns, device, optimizer, progress)
        if val_loader is not None:
            val_logs = _run_epoch(model, val_loader, loss_fn, metric_fns, device)
            logs.update({f"val_{name}": value for name, value in val_logs.items()})
        for name, value in logs.items():
            history.setdefault(name, []).append(value)
        if progress is not None:
            progress.set_postfix({k: f"{v:.4g}" for k, v in logs.items()})
        for callback in callbacks:
            callback.on_epoch_end(epoch, logs, model)
        if any(callback.stop_training for callback in callbacks):
            break
    for callback in callbacks:
        callback.on_train_end(model)
    if progress is not None:
        progress.close()
    return history


def evaluate(
    model: nn.Module,
    data: DataLoader | tuple[ArrayLike, ArrayLike],
    *,
    loss: str | Callable = "cross_entropy",
    metrics: Sequence[str | Metric] | None = ("accuracy",),
    batch_size: int = 256,
    device: str | torch.device | None = None,
) -> dict[str, float]:
    """Return the mean loss and metrics of ``model`` on ``data`` (no training).

    Args:
        model: The trained module.
        data: A DataLoader or an ``(x, y)`` pair of arrays.
        loss: As in :func:`fit`.
        metrics: As in :func:`fit`.
        batch_size: Batch size when ``data`` is arrays.
        device: As in :func:`fit`.

    Returns:
        ``{"loss": ..., "accuracy": ...}``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    batch_size = check_positive_int("batch_size", batch_size)
    device = device if isinstance(device, torch.device) else get_device(device)
    loader = _as_loader(data, batch_size, False, "data")
    model.to(device)
    return _run_epoch(model, loader, _resolve_loss(loss), _resolve_metrics(metrics), device)


@torch.no_grad()
def predict(
    model: nn.Module,
    x: ArrayLike | DataLoader,
    *,
    batch_size: int = 256,
    device: str | torch.device | None = None,
) -> torch.Tensor:
    """Return the model's outputs for inputs ``x`` (an array or a DataLoader), on the CPU.

    Args:
        model: The trained module (put in evaluation mode).
        x: Inputs of shape ``(N, ...)``, or a DataLoader whose batches start with the inputs.
        batch_size: Batch size when ``x`` is an array.
        device: As in :func:`fit`.

    Returns:
        A tensor of shape ``(N, ...)`` with the raw outputs (logits for classifiers).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    batch_size = check_positive_int("batch_size", batch_size)
    device = device if isinstance(device, torch.device) else get_device(device)
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    loader = x if isinstance(x, DataLoader) else to_loader(x, batch_size=batch_size)
    model.to(device).eval()
    outputs = [model(batch[0].to(device)).cpu() for batch in loader]
    return torch.cat(outputs)
