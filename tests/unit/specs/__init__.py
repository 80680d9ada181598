"""The registry of every model in both frameworks, walked by ``test_models.py``.

Each family contributes a module here with a ``SPECS`` list of :class:`Spec`. A spec says how to
build the model, a tiny batch, the forward output and its shape, and a scalar loss to train on, so
one test can check every model the same way: forward shape, no NaN, gradients reach every
trainable parameter, a short overfit of the tiny batch, and a save/load round trip.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Spec:
    """How to exercise one model.

    Attributes:
        family: The family and model name shared by both twins, e.g. ``"mlp"``.
        framework: ``"torch"`` or ``"keras"``.
        build: Returns a fresh model (seeded by the test).
        batch: Returns the tiny batch: a tuple of NumPy arrays.
        output: ``output(model, batch)`` returns the forward output (a framework tensor).
        output_shape: The expected shape of that output.
        loss: ``loss(model, batch)`` returns a scalar framework tensor to minimise.
        overfit_steps: Adam steps of the overfit check.
        overfit_factor: The loss must fall by at least this factor in those steps.
        lr: Learning rate of the overfit check.
        no_grad: Names of trainable parameters documented to get no gradient from ``loss``.
        param_difference: Parameters this twin has beyond its twin (stated in the docstring).
    """

    family: str
    framework: str
    build: Callable[[], Any]
    batch: Callable[[], tuple]
    output: Callable[[Any, tuple], Any]
    output_shape: tuple
    loss: Callable[[Any, tuple], Any]
    overfit_steps: int = 60
    overfit_factor: float = 2.0
    lr: float = 1e-2
    no_grad: tuple[str, ...] = field(default_factory=tuple)
    param_difference: int = 0

    @property
    def id(self) -> str:
        return f"{self.framework}-{self.family}"


def all_specs() -> list[Spec]:
    specs: list[Spec] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        specs.extend(module.SPECS)
    return specs
