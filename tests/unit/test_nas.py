"""Neural architecture search: the space, mutation, the bookkeeping, and a tiny real search."""

import dataclasses

import numpy as np
import pytest

from dlguide.nas import Architecture, SearchSpace, run_evolutionary_search, run_random_search


def _differences(a: Architecture, b: Architecture) -> int:
    changed = sum(
        getattr(a, f) != getattr(b, f) for f in ("activation", "dropout", "learning_rate")
    )
    if a.num_hiddens != b.num_hiddens:
        changed += 1
    return changed


def test_samples_lie_in_the_space_and_are_reproducible():
    space = SearchSpace()
    archs = [space.sample(np.random.default_rng(0)) for _ in range(2)]
    assert archs[0] == archs[1]
    rng = np.random.default_rng(1)
    for _ in range(50):
        arch = space.sample(rng)
        assert len(arch.num_hiddens) in space.depths
        assert set(arch.num_hiddens) <= set(space.widths)
        assert arch.activation in space.activations
        assert arch.dropout in space.dropouts and arch.learning_rate in space.learning_rates


def test_mutation_changes_exactly_one_choice_and_stays_in_the_space():
    space = SearchSpace()
    rng = np.random.default_rng(0)
    arch = space.sample(rng)
    for _ in range(100):
        child = space.mutate(arch, rng)
        assert _differences(arch, child) == 1
        if child.num_hiddens != arch.num_hiddens:
            assert abs(len(child.num_hiddens) - len(arch.num_hiddens)) <= 1
        assert len(child.num_hiddens) in space.depths and set(child.num_hiddens) <= set(
            space.widths
        )
        arch = child


def test_architecture_is_frozen():
    arch = Architecture(num_hiddens=(8,), activation="relu", dropout=0.0, learning_rate=0.01)
    with pytest.raises(dataclasses.FrozenInstanceError):
        arch.dropout = 0.5


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"depths": ()}, ValueError),
        ({"widths": (0,)}, ValueError),
        ({"dropouts": (1.0,)}, ValueError),
        ({"learning_rates": (-0.1,)}, ValueError),
        ({"activations": "relu"}, TypeError),
    ],
)
def test_bad_spaces(kwargs, error):
    with pytest.raises(error):
        SearchSpace(**kwargs)


def test_bookkeeping_tracks_best_so_far_and_counts_trials():
    space = SearchSpace()
    score = lambda a: (a, float(sum(a.num_hiddens)))  # noqa: E731 - the "model" is the arch
    for search in (run_random_search, run_evolutionary_search):
        kwargs = (
            {"population_size": 3, "sample_size": 2} if search is run_evolutionary_search else {}
        )
        result = search(space, score, max_trials=9, seed=0, **kwargs)
        scores = [t.score for t in result.history]
        assert len(scores) == 9
        assert [t.trial for t in result.history] == list(range(9))
        assert [t.best_so_far for t in result.history] == list(np.maximum.accumulate(scores))
        assert result.score == max(scores)
        assert result.model == result.architecture  # the best's own model is returned
        # The budget is counted in trials, not seconds: a rerun sees the same candidates.
        again = search(space, score, max_trials=9, seed=0, **kwargs)
        assert again.history == result.history
    result = run_random_search(space, score, max_trials=1)
    assert len(result.history) == 1
    with pytest.raises(TypeError):
        run_random_search(space, score, max_trials=5, time_budget_s=1.0)  # no wall-clock budget
    with pytest.raises(ValueError, match="sample_size"):
        run_evolutionary_search(space, score, population_size=2, sample_size=3)
    with pytest.raises(TypeError, match="train_and_score"):
        run_random_search(space, "not callable")


def test_evolution_beats_its_random_start_on_an_easy_objective():
    space = SearchSpace()
    result = run_evolutionary_search(
        space, lambda a: (None, float(sum(a.num_hiddens))), max_trials=60, population_size=6, seed=0
    )
    first = max(t.score for t in result.history[:6])
    assert result.score > first


def _digits():
    from dlguide.data import load_digits

    (x_train, y_train), (x_test, y_test) = load_digits()
    return (x_train[:400], y_train[:400]), (x_test[:200], y_test[:200])


def test_tiny_torch_search_returns_its_trained_best():
    from dlguide.torch import evaluate
    from dlguide.torch.nas import evolutionary_search

    train, val = _digits()
    result = evolutionary_search(
        train, val, max_trials=3, population_size=2, sample_size=1, epochs=2
    )
    assert len(result.history) == 3
    assert result.score == max(t.score for t in result.history)
    x_val = val[0].reshape(len(val[0]), -1)
    assert evaluate(result.model, (x_val, val[1]), device="cpu")["accuracy"] == pytest.approx(
        result.score
    )
    assert result.score > 0.3  # trained: chance is 0.1


def test_tiny_keras_search_returns_its_trained_best():
    from dlguide.keras.nas import random_search

    train, val = _digits()
    result = random_search(train, val, max_trials=3, epochs=2)
    assert len(result.history) == 3
    assert result.score == max(t.score for t in result.history)
    x_val = val[0].reshape(len(val[0]), -1)
    accuracy = float(np.mean(np.argmax(result.model.predict(x_val, verbose=0), axis=-1) == val[1]))
    assert accuracy == pytest.approx(result.score)
    assert result.score > 0.3


def test_search_rejects_bad_data():
    from dlguide.torch.nas import random_search

    with pytest.raises(TypeError, match="train_data"):
        random_search(np.zeros((4, 2)), (np.zeros((4, 2)), np.zeros(4, dtype=int)))
    with pytest.raises(ValueError, match="validation_data"):
        random_search(
            (np.zeros((4, 2)), np.zeros(4, dtype=int)), (np.zeros((4, 2)), np.zeros(3, dtype=int))
        )
