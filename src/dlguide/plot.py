"""Matplotlib helpers shared by the PyTorch and Keras pages.

They take NumPy arrays or plain lists (never framework tensors), draw on a given or new axes and
return the figure, so every page's plots look alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dlguide._checks import ArrayLike, check_array, check_positive_int


def plot_history(
    history: Mapping[str, Sequence[float]],
    *,
    metrics: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Plot training curves from a history dict (``fit`` in dlguide.torch or Keras' ``History``).

    One panel per metric (``loss``, ``accuracy``, ...), with the ``val_`` curve beside the
    training one.

    Args:
        history: ``{"loss": [...], "val_loss": [...], ...}``; a Keras ``History`` object also works.
        metrics: Which metrics to plot; default every key without the ``val_`` prefix.
        title: Optional figure title.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    history = getattr(history, "history", history)
    if not isinstance(history, Mapping) or not history:
        raise TypeError("history must be a non-empty mapping of metric names to lists of values")
    names = (
        list(metrics) if metrics is not None else [k for k in history if not k.startswith("val_")]
    )
    missing = [name for name in names if name not in history]
    if missing or not names:
        raise ValueError(f"metrics {missing or names} not in history keys {sorted(history)}")
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        values = history[name]
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, label="training")
        if f"val_{name}" in history:
            ax.plot(epochs, history[f"val_{name}"], label="validation")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epoch 3, never 2.5
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_images(
    images: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    ncols: int = 8,
    cmap: str = "gray",
    title: str | None = None,
    symmetric: bool = False,
) -> Figure:
    """Show a grid of images with optional labels under each.

    Args:
        images: Array of shape ``(N, H, W)`` (grey) or ``(N, H, W, 3)`` (colour).
        labels: Optional caption per image.
        ncols: Images per row, >= 1.
        cmap: Colour map for grey images.
        title: Optional figure title.
        symmetric: Centre the colour scale on zero (for weights and filters, where the sign
            matters): every image shares the scale ``[-m, m]`` with ``m`` the largest magnitude,
            so zero is the middle colour of a diverging ``cmap`` such as ``"RdBu_r"``.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    images = check_array("images", images, ndim=(3, 4))
    scale = {}
    if symmetric:
        m = float(np.abs(images).max()) or 1.0
        scale = {"vmin": -m, "vmax": m}
    ncols = check_positive_int("ncols", ncols)
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"labels must have one entry per image ({len(images)}), got {len(labels)}")
    n = len(images)
    ncols = min(ncols, max(n, 1))
    nrows = max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.45 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None, **scale)
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
