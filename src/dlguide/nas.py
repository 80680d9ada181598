"""Neural architecture search, the framework-neutral part: search space, sampling, mutation, loops.

Three strategies of increasing cleverness, all over the same small space of MLPs:

- Random search, the baseline that is hard to beat: Li & Talwalkar (2019), "Random Search and
  Reproducibility for Neural Architecture Search", UAI, https://arxiv.org/abs/1902.07638.
- Regularized (aging) evolution: Real, Aggarwal, Huang & Le (2019), "Regularized Evolution for
  Image Classifier Architecture Search", AAAI, https://arxiv.org/abs/1802.01548. Keep a
  population; pick the best of a random sample as parent; add its mutated child; drop the
  *oldest* member (not the worst), so no architecture survives on one lucky score.
- A learned controller (Zoph & Le, 2017, "Neural Architecture Search with Reinforcement
  Learning", ICLR, https://arxiv.org/abs/1611.01578) is what started the field; it needs
  thousands of trained candidates, so the guide describes it but runs the two above.

Every search is budgeted in *trials* (trained candidates), never in seconds, so the same seed
gives the same candidates and the same scores on a fast machine and a slow one.

Nothing here imports a framework. :func:`run_random_search` and :func:`run_evolutionary_search`
take a ``train_and_score(arch) -> (model, score)`` callable; :mod:`dlguide.torch.nas` and
:mod:`dlguide.keras.nas` supply one that builds an MLP, trains it briefly and returns its
validation accuracy.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from dlguide._checks import ArrayLike, check_array, check_float, check_int, check_positive_int

TrainAndScore = Callable[["Architecture"], tuple[Any, float]]


@dataclass(frozen=True)
class Architecture:
    """One point of the search space: an MLP and its learning rate.

    Attributes:
        num_hiddens: Width of each hidden layer (its length is the depth).
        activation: Name of the activation (``"relu"``, ``"tanh"``, ``"gelu"``, ...).
        dropout: Dropout probability after each hidden layer.
        learning_rate: Adam's learning rate.
    """

    num_hiddens: tuple[int, ...]
    activation: str
    dropout: float
    learning_rate: float


def _check_choices(name: str, values: Sequence, kind: type) -> tuple:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence, got {type(values).__name__}")
    if len(values) == 0:
        raise ValueError(f"{name} must not be empty")
    for value in values:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            continue
        if not isinstance(value, kind) or isinstance(value, bool):
            raise TypeError(f"{name} must hold {kind.__name__} values, got {value!r}")
    return tuple(values)


@dataclass(frozen=True)
class SearchSpace:
    """The choices an architecture is made of.

    Attributes:
        depths: Allowed numbers of hidden layers (>= 1).
        widths: Allowed widths of a hidden layer (each layer chooses independently).
        activations: Allowed activations (names known to ``dlguide.*.MLP``).
        dropouts: Allowed dropout probabilities in [0, 1).
        learning_rates: Allowed learning rates (> 0).

    Example:
        >>> import numpy as np
        >>> from dlguide.nas import SearchSpace
        >>> space = SearchSpace()
        >>> arch = space.sample(np.random.default_rng(0))
        >>> 1 <= len(arch.num_hiddens) <= 3
        True
    """

    depths: tuple[int, ...] = (1, 2, 3)
    widths: tuple[int, ...] = (16, 32, 64, 128)
    activations: tuple[str, ...] = ("relu", "tanh", "gelu")
    dropouts: tuple[float, ...] = (0.0, 0.1, 0.3)
    learning_rates: tuple[float, ...] = (1e-3, 3e-3, 1e-2)

    def __post_init__(self) -> None:
        depths = _check_choices("depths", self.depths, int)
        widths = _check_choices("widths", self.widths, int)
        for name, values in (("depths", depths), ("widths", widths)):
            for value in values:
                check_positive_int(f"{name} entry", value)
        _check_choices("activations", self.activations, str)
        for p in _check_choices("dropouts", self.dropouts, float):
            if not 0.0 <= p < 1.0:
                raise ValueError(f"dropouts must lie in [0, 1), got {p}")
        for lr in _check_choices("learning_rates", self.learning_rates, float):
            check_float("learning_rates entry", lr, minimum=0.0, exclusive_minimum=True)
        # Store tuples even when lists were passed, so the space is hashable and frozen.
        for name in ("depths", "widths", "activations", "dropouts", "learning_rates"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def sample(self, rng: np.random.Generator) -> Architecture:
        """Draw an architecture uniformly: a depth, then a width per layer, and the rest.

        Args:
            rng: A NumPy generator, e.g. ``np.random.default_rng(0)``.
        """
        _check_rng(rng)
        depth = int(rng.choice(self.depths))
        return Architecture(
            num_hiddens=tuple(int(rng.choice(self.widths)) for _ in range(depth)),
            activation=str(rng.choice(self.activations)),
            dropout=float(rng.choice(self.dropouts)),
            learning_rate=float(rng.choice(self.learning_rates)),
        )

    def mutate(self, arch: Architecture, rng: np.random.Generator) -> Architecture:
        """Return a copy of ``arch`` with exactly one choice changed (Real et al.'s mutation).

        The change is one of: add or remove a hidden layer, re-draw one layer's width, or
        re-draw the activation, the dropout or the learning rate. Choices with a single
        option in this space are never picked, so the child always differs from the parent
        (unless the space has only one architecture).

        Args:
            arch: The parent.
            rng: A NumPy generator.
        """
        if not isinstance(arch, Architecture):
            raise TypeError(f"arch must be an Architecture, got {type(arch).__name__}")
        _check_rng(rng)
        depth = len(arch.num_hiddens)
        moves = []
        if any(d > depth for d in self.depths):
            moves.append("add_layer")
        if any(d < depth for d in self.depths):
            moves.append("remove_layer")
        if len(self.widths) > 1:
            moves.append("width")
        for name, options in (
            ("activation", self.activations),
            ("dropout", self.dropouts),
            ("learning_rate", self.learning_rates),
        ):
            if len(options) > 1:
                moves.append(name)
        if not moves:
            return arch
        move = moves[int(rng.integers(len(moves)))]
        hiddens = list(arch.num_hiddens)
        if move == "add_layer":
            hiddens.insert(int(rng.integers(depth + 1)), int(rng.choice(self.widths)))
            return replace(arch, num_hiddens=tuple(hiddens))
        if move == "remove_layer":
            del hiddens[int(rng.integers(depth))]
            return replace(arch, num_hiddens=tuple(hiddens))
        if move == "width":
            i = int(rng.integers(depth))
            hiddens[i] = _other(self.widths, hiddens[i], rng)
            return replace(arch, num_hiddens=tuple(hiddens))
        choices = {
            "activation": self.activations,
            "dropout": self.dropouts,
            "learning_rate": self.learning_rates,
        }[move]
        return replace(arch, **{move: _other(choices, getattr(arch, move), rng)})


def _other(options: Sequence[Any], current: Any, rng: np.random.Generator) -> Any:
    """A uniformly drawn option different from ``current`` (options hold at least two values)."""
    others = [o for o in options if o != current] or list(options)
    return type(others[0])(others[int(rng.integers(len(others)))])


def _check_rng(rng: Any) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")


@dataclass(frozen=True)
class Trial:
    """One trained candidate: its place in the search, its score, and the best score so far."""

    trial: int
    score: float
    best_so_far: float
    architecture: Architecture


@dataclass
class SearchResult:
    """What a search returns.

    Attributes:
        model: The trained model of the best architecture (a framework model).
        architecture: The best architecture.
        score: Its validation score (higher is better).
        history: One :class:`Trial` per trained candidate, in order: plot
            ``[t.best_so_far for t in history]`` against ``trial`` for the search curve.
    """

    model: Any
    architecture: Architecture
    score: float
    history: list[Trial] = field(default_factory=list)


class _Bookkeeper:
    """Counts the trials, records every one, and keeps only the best model in memory."""

    def __init__(self, train_and_score: TrainAndScore, max_trials: int) -> None:
        if not callable(train_and_score):
            raise TypeError(
                f"train_and_score must be callable, got {type(train_and_score).__name__}"
            )
        self.train_and_score = train_and_score
        self.max_trials = check_positive_int("max_trials", max_trials)
        self.history: list[Trial] = []
        self.best: tuple[Any, Architecture, float] | None = None

    def done(self) -> bool:
        """True once ``max_trials`` candidates have been trained."""
        return len(self.history) >= self.max_trials

    def run(self, arch: Architecture) -> float:
        model, score = self.train_and_score(arch)
        score = float(score)
        if math.isnan(score):
            score = -math.inf  # a diverged candidate never wins
        if self.best is None or score > self.best[2]:
            self.best = (model, arch, score)
        self.history.append(Trial(len(self.history), score, self.best[2], arch))
        return score

    def result(self) -> SearchResult:
        assert self.best is not None, "no trial has run yet"  # max_trials >= 1 runs one
        model, arch, score = self.best
        return SearchResult(model=model, architecture=arch, score=score, history=self.history)


def run_random_search(
    space: SearchSpace,
    train_and_score: TrainAndScore,
    *,
    max_trials: int = 10,
    seed: int = 0,
) -> SearchResult:
    """Train ``max_trials`` independent random architectures; keep the best.

    Args:
        space: The search space.
        train_and_score: ``train_and_score(arch) -> (model, score)``; higher scores are better.
        max_trials: Candidates to train, >= 1: the budget of the search.
        seed: Seed of the sampling.

    Returns:
        A :class:`SearchResult`.

    Example:
        >>> from dlguide.nas import SearchSpace, run_random_search
        >>> result = run_random_search(SearchSpace(), lambda a: (None, -len(a.num_hiddens)),
        ...                            max_trials=5)
        >>> result.score == max(t.score for t in result.history)
        True
    """
    if not isinstance(space, SearchSpace):
        raise TypeError(f"space must be a SearchSpace, got {type(space).__name__}")
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    book = _Bookkeeper(train_and_score, max_trials)
    while not book.done():
        book.run(space.sample(rng))
    return book.result()


def run_evolutionary_search(
    space: SearchSpace,
    train_and_score: TrainAndScore,
    *,
    max_trials: int = 20,
    population_size: int = 8,
    sample_size: int = 3,
    seed: int = 0,
) -> SearchResult:
    """Regularized evolution (Real et al., 2019, Algorithm 1) for ``max_trials`` candidates.

    The first ``population_size`` candidates are random; after that each candidate is the
    mutated copy of the best of ``sample_size`` members drawn at random, and the oldest
    member leaves the population.

    Args:
        space: The search space.
        train_and_score: ``train_and_score(arch) -> (model, score)``; higher scores are better.
        max_trials: Candidates to train, >= 1: the budget of the search.
        population_size: Members kept alive, >= 1.
        sample_size: Members drawn to pick a parent, in ``[1, population_size]``.
        seed: Seed of the sampling and mutation.

    Returns:
        A :class:`SearchResult`.

    Example:
        >>> from dlguide.nas import SearchSpace, run_evolutionary_search
        >>> result = run_evolutionary_search(SearchSpace(), lambda a: (None, sum(a.num_hiddens)),
        ...                                  max_trials=12, population_size=4, sample_size=2)
        >>> len(result.history)
        12
    """
    if not isinstance(space, SearchSpace):
        raise TypeError(f"space must be a SearchSpace, got {type(space).__name__}")
    population_size = check_positive_int("population_size", population_size)
    sample_size = check_positive_int("sample_size", sample_size)
    if sample_size > population_size:
        raise ValueError(
            f"sample_size must be <= population_size={population_size}, got {sample_size}"
        )
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    book = _Bookkeeper(train_and_score, max_trials)
    population: deque[tuple[Architecture, float]] = deque()
    while not book.done():
        if len(population) < population_size:
            arch = space.sample(rng)
        else:
            picks = rng.choice(len(population), size=sample_size, replace=False)
            parent = max((population[int(i)] for i in picks), key=lambda member: member[1])[0]
            arch = space.mutate(parent, rng)
        population.append((arch, book.run(arch)))
        if len(population) > population_size:
            population.popleft()  # aging: the oldest dies, however good it was
    return book.result()


def flatten_inputs(name: str, data: tuple[ArrayLike, ArrayLike]) -> tuple[np.ndarray, np.ndarray]:
    """Check an ``(x, y)`` pair and return ``x`` as float32 rows ``(N, F)`` and ``y`` as int64.

    Both NAS twins feed their MLPs through this, so they see the same arrays.
    """
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be an (x, y) pair of arrays, got {type(data).__name__}")
    x = check_array(f"{name}[0]", data[0])
    y = check_array(f"{name}[1]", data[1], ndim=1)
    if x.ndim < 2 or len(x) != len(y):
        raise ValueError(
            f"{name} needs x of shape (N, ...) and y of shape (N,), got {x.shape} and {y.shape}"
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name}[1] must hold integer labels, got dtype {y.dtype}")
    return x.reshape(len(x), -1).astype(np.float32), y.astype(np.int64)  # (N, ...) -> (N, F)


@dataclass(frozen=True)
class _TrainingSetup:
    """The checked data and budget with which both NAS twins train every candidate."""

    x_train: np.ndarray  # (N, F) float32
    y_train: np.ndarray  # (N,) int64
    x_val: np.ndarray  # (M, F) float32
    y_val: np.ndarray  # (M,) int64
    num_classes: int
    epochs: int
    batch_size: int
    seed: int


def _training_setup(
    train_data: tuple[ArrayLike, ArrayLike],
    validation_data: tuple[ArrayLike, ArrayLike],
    *,
    epochs: int,
    batch_size: int,
    seed: int,
) -> _TrainingSetup:
    """Check the training arguments of a search; the classes are those seen in either split."""
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    seed = check_int("seed", seed, minimum=0)
    x_train, y_train = flatten_inputs("train_data", train_data)  # (N, ...) -> (N, F)
    x_val, y_val = flatten_inputs("validation_data", validation_data)
    num_classes = int(max(y_train.max(), y_val.max())) + 1
    return _TrainingSetup(x_train, y_train, x_val, y_val, num_classes, epochs, batch_size, seed)
