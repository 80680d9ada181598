"""Neural architecture search over MLPs with PyTorch: random search and regularized evolution.

Zoph & Le (2017), "Neural Architecture Search with Reinforcement Learning",
https://arxiv.org/abs/1611.01578; Real et al. (2019), "Regularized Evolution for Image
Classifier Architecture Search", https://arxiv.org/abs/1802.01548; Li & Talwalkar (2019),
"Random Search and Reproducibility for Neural Architecture Search",
https://arxiv.org/abs/1902.07638.

The search space, sampling, mutation and the search loops are framework-neutral and live in
:mod:`dlguide.nas`; this module adds what needs PyTorch: :func:`build_model` turns an
:class:`~dlguide.nas.Architecture` into a :class:`~dlguide.torch.mlp.MLP`, and the two searches
train every candidate briefly with :func:`dlguide.torch.training.fit` and score it by its
validation accuracy.
"""

from __future__ import annotations

from dlguide._checks import ArrayLike
from dlguide.nas import (
    Architecture,
    SearchResult,
    SearchSpace,
    TrainAndScore,
    _training_setup,
    _TrainingSetup,
    run_evolutionary_search,
    run_random_search,
)
from dlguide.torch.device import seed_everything
from dlguide.torch.mlp import MLP
from dlguide.torch.training import evaluate, fit


def build_model(arch: Architecture, *, num_inputs: int, num_classes: int) -> MLP:
    """Build the (untrained) MLP an architecture describes.

    Args:
        arch: The architecture.
        num_inputs: Features per example after flattening.
        num_classes: Output logits.

    Example:
        >>> from dlguide.nas import Architecture
        >>> from dlguide.torch.nas import build_model
        >>> arch = Architecture(num_hiddens=(32,), activation="relu", dropout=0.0,
        ...                     learning_rate=1e-3)
        >>> build_model(arch, num_inputs=64, num_classes=10).head
        Linear(in_features=32, out_features=10, bias=True)
    """
    if not isinstance(arch, Architecture):
        raise TypeError(f"arch must be an Architecture, got {type(arch).__name__}")
    return MLP(
        num_inputs=num_inputs,
        num_outputs=num_classes,
        num_hiddens=arch.num_hiddens,
        activation=arch.activation,
        dropout=arch.dropout,
    )


def _trainer(data: _TrainingSetup) -> TrainAndScore:
    """Return ``train_and_score(arch) -> (model, validation accuracy)`` for the search loops."""

    def train_and_score(arch: Architecture) -> tuple[MLP, float]:
        seed_everything(data.seed)
        model = build_model(arch, num_inputs=data.x_train.shape[1], num_classes=data.num_classes)
        fit(
            model,
            (data.x_train, data.y_train),
            epochs=data.epochs,
            lr=arch.learning_rate,
            batch_size=data.batch_size,
            metrics=(),
            device="cpu",
            verbose=False,
            seed=data.seed,
        )
        score = evaluate(model, (data.x_val, data.y_val), device="cpu")["accuracy"]
        return model.eval(), score

    return train_and_score


def random_search(
    train_data: tuple[ArrayLike, ArrayLike],
    validation_data: tuple[ArrayLike, ArrayLike],
    *,
    space: SearchSpace | None = None,
    max_trials: int = 10,
    epochs: int = 5,
    batch_size: int = 64,
    seed: int = 0,
) -> SearchResult:
    """Random search (Li & Talwalkar, 2019): train random MLPs, keep the best on validation.

    Args:
        train_data: ``(x_train, y_train)`` arrays; inputs are flattened to rows.
        validation_data: ``(x_val, y_val)`` arrays scoring each candidate (accuracy).
        space: The search space; default :class:`~dlguide.nas.SearchSpace()`.
        max_trials: Candidates to train: the budget of the search, counted in trials so that
            every machine trains the same candidates.
        epochs: Training epochs per candidate (short on purpose).
        batch_size: Batch size of the training.
        seed: Seed of the sampling, the initialisation and the shuffling.

    Returns:
        A :class:`~dlguide.nas.SearchResult` whose ``model`` is the trained best MLP.

    Example:
        >>> from dlguide.data import load_digits
        >>> from dlguide.torch.nas import random_search
        >>> train, test = load_digits()
        >>> result = random_search(train, test, max_trials=2, epochs=1)
        >>> len(result.history)
        2
    """
    data = _training_setup(
        train_data, validation_data, epochs=epochs, batch_size=batch_size, seed=seed
    )
    return run_random_search(
        space if space is not None else SearchSpace(),
        _trainer(data),
        max_trials=max_trials,
        seed=seed,
    )


def evolutionary_search(
    train_data: tuple[ArrayLike, ArrayLike],
    validation_data: tuple[ArrayLike, ArrayLike],
    *,
    space: SearchSpace | None = None,
    max_trials: int = 20,
    population_size: int = 8,
    sample_size: int = 3,
    epochs: int = 5,
    batch_size: int = 64,
    seed: int = 0,
) -> SearchResult:
    """Regularized evolution (Real et al., 2019) over MLPs, scored by validation accuracy.

    Args:
        train_data: ``(x_train, y_train)`` arrays; inputs are flattened to rows.
        validation_data: ``(x_val, y_val)`` arrays scoring each candidate (accuracy).
        space: The search space; default :class:`~dlguide.nas.SearchSpace()`.
        max_trials: Candidates to train: the budget of the search, counted in trials so that
            every machine trains the same candidates.
        population_size: Members kept alive.
        sample_size: Members drawn to pick each parent.
        epochs: Training epochs per candidate.
        batch_size: Batch size of the training.
        seed: Seed of the sampling, mutation, initialisation and shuffling.

    Returns:
        A :class:`~dlguide.nas.SearchResult` whose ``model`` is the trained best MLP.

    Example:
        >>> from dlguide.data import load_digits
        >>> from dlguide.torch.nas import evolutionary_search
        >>> train, test = load_digits()
        >>> result = evolutionary_search(train, test, max_trials=3, population_size=2,
        ...                              sample_size=1, epochs=1)
        >>> result.score == max(t.score for t in result.history)
        True
    """
    data = _training_setup(
        train_data, validation_data, epochs=epochs, batch_size=batch_size, seed=seed
    )
    return run_evolutionary_search(
        space if space is not None else SearchSpace(),
        _trainer(data),
        max_trials=max_trials,
        population_size=population_size,
        sample_size=sample_size,
        seed=seed,
    )
