"""The recurrent family: argument checks, shapes, stated twin differences, causality, sampling."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlguide.keras import recurrent as kr
from dlguide.torch import recurrent as tr

FRAMEWORKS = [tr, kr]
CELLS = ("rnn", "lstm", "gru")


def _count_torch(model) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("module", FRAMEWORKS, ids=["torch", "keras"])
@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"cell": 3}, TypeError),
        ({"cell": "transformer"}, ValueError),
        ({"num_hiddens": 0}, ValueError),
        ({"num_hiddens": 8.0}, TypeError),
        ({"num_layers": 0}, ValueError),
        ({"num_inputs": "3"}, TypeError),
        ({"num_classes": -1}, ValueError),
    ],
)
def test_classifier_rejects_bad_arguments(module, kwargs, error):
    arguments = {"num_inputs": 3, "num_classes": 2, **kwargs}
    with pytest.raises(error, match=next(iter(kwargs))):
        module.SequenceClassifier(**arguments)


@pytest.mark.parametrize("module", FRAMEWORKS, ids=["torch", "keras"])
def test_other_models_reject_bad_arguments(module):
    with pytest.raises(ValueError, match="num_outputs"):
        module.Forecaster(num_outputs=0)
    with pytest.raises(ValueError, match="cell"):
        module.Forecaster(cell="LSTM")
    with pytest.raises(TypeError, match="vocab_size"):
        module.CharLanguageModel(vocab_size=None)
    with pytest.raises(ValueError, match="embedding_dim"):
        module.CharLanguageModel(vocab_size=5, embedding_dim=0)


def test_torch_models_reject_wrong_input_shapes():
    with pytest.raises(ValueError, match=r"\(B, T, 3\)"):
        tr.SequenceClassifier(num_inputs=3, num_classes=2)(torch.zeros(2, 5, 4))
    with pytest.raises(ValueError, match=r"\(B, T, 1\)"):
        tr.Forecaster()(torch.zeros(2, 5))
    with pytest.raises(ValueError, match=r"\(B, T\)"):
        tr.CharLanguageModel(vocab_size=5)(torch.zeros(2, 5, 1, dtype=torch.int64))


def test_keras_models_reject_wrong_input_shapes():
    with pytest.raises(ValueError, match="incompatible"):
        kr.SequenceClassifier(num_inputs=3, num_classes=2)(np.zeros((2, 5, 4), dtype="float32"))
    # num_inputs=2: with a feature axis of 1 Keras relaxes its check (see the Forecaster's Note).
    with pytest.raises(ValueError, match="incompatible"):
        kr.Forecaster(num_inputs=2)(np.zeros((2, 5, 3), dtype="float32"))


@pytest.mark.parametrize("cell", CELLS)
def test_features_are_the_last_hidden_state(cell):
    x = np.random.default_rng(0).standard_normal((4, 6, 3)).astype(np.float32)
    torch_model = tr.SequenceClassifier(num_inputs=3, num_classes=2, num_hiddens=5, cell=cell)
    outputs, _ = torch_model.features.rnn(torch.as_tensor(x))
    features = torch_model.features(torch.as_tensor(x))
    assert features.shape == (4, 5)
    torch.testing.assert_close(features, outputs[:, -1])
    assert isinstance(torch_model.head, torch.nn.Linear)

    import keras

    keras_model = kr.SequenceClassifier(num_inputs=3, num_classes=2, num_hiddens=5, cell=cell)
    extractor = keras.Model(keras_model.input, keras_model.get_layer("features").output)
    assert tuple(extractor(x).shape) == (4, 5)
    assert isinstance(keras_model.get_layer("head"), keras.layers.Dense)


@pytest.mark.parametrize("cell", CELLS)
def test_stated_parameter_difference_holds_for_stacked_layers(cell):
    kwargs = {"num_inputs": 5, "num_classes": 4, "num_hiddens": 7, "num_layers": 2, "cell": cell}
    difference = (
        _count_torch(tr.SequenceClassifier(**kwargs))
        - kr.SequenceClassifier(**kwargs).count_params()
    )
    assert (
        difference == tr.extra_bias_parameters(cell, 7, 2) == kr.extra_bias_parameters(cell, 7, 2)
    )
    assert difference == {"rnn": 14, "lstm": 56, "gru": 0}[cell]


def test_default_forecaster_counts_match_the_docstrings():
    counts = {
        cell: (_count_torch(tr.Forecaster(cell=cell)), kr.Forecaster(cell=cell).count_params())
        for cell in CELLS
    }
    assert counts == {"rnn": (1153, 1121), "lstm": (4513, 4385), "gru": (3393, 3393)}


def test_torch_gru_equals_keras_gru_with_reset_after():
    """PyTorch's GRU and Keras' GRU(reset_after=True) compute one function (gate order aside)."""
    torch.manual_seed(0)
    x = np.random.default_rng(1).standard_normal((3, 5, 4)).astype(np.float32)
    torch_model = tr.Forecaster(num_inputs=4, num_outputs=2, num_hiddens=6, cell="gru")
    keras_model = kr.Forecaster(num_inputs=4, num_outputs=2, num_hiddens=6, cell="gru")
    gru = torch_model.features.rnn

    def reorder(weight):  # PyTorch stacks gates r, z, n; Keras z, r, h
        r, z, n = np.split(weight.detach().numpy(), 3, axis=0)
        return np.concatenate([z, r, n], axis=0)

    keras_model.get_layer("gru_0").set_weights(
        [
            reorder(gru.weight_ih_l0).T,
            reorder(gru.weight_hh_l0).T,
            np.stack([reorder(gru.bias_ih_l0), reorder(gru.bias_hh_l0)]),
        ]
    )
    keras_model.get_layer("head").set_weights(
        [torch_model.head.weight.detach().numpy().T, torch_model.head.bias.detach().numpy()]
    )
    with torch.no_grad():
        expected = torch_model(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(np.asarray(keras_model(x)), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cell", CELLS)
def test_char_model_does_not_look_ahead(cell):
    ids = np.random.default_rng(0).integers(0, 9, size=(2, 10))
    changed = ids.copy()
    changed[:, 6] = (changed[:, 6] + 1) % 9
    torch_model = tr.CharLanguageModel(vocab_size=9, num_hiddens=8, cell=cell)
    with torch.no_grad():
        before, after = (torch_model(torch.as_tensor(a)).numpy() for a in (ids, changed))
    np.testing.assert_array_equal(before[:, :6], after[:, :6])
    assert not np.allclose(before[:, 6:], after[:, 6:])

    keras_model = kr.CharLanguageModel(vocab_size=9, num_hiddens=8, cell=cell)
    before, after = (np.asarray(keras_model(a.astype("int32"))) for a in (ids, changed))
    np.testing.assert_array_equal(before[:, :6], after[:, :6])
    assert not np.allclose(before[:, 6:], after[:, 6:])


@pytest.mark.parametrize("module", FRAMEWORKS, ids=["torch", "keras"])
def test_generate_is_seeded_and_keeps_the_prompt(module):
    model = module.CharLanguageModel(vocab_size=6, num_hiddens=8)
    first = module.generate(model, [1, 2, 3], length=12, seed=3)
    again = module.generate(model, np.array([1, 2, 3]), length=12, seed=3)
    other = module.generate(model, [1, 2, 3], length=12, seed=4)
    assert first.dtype == np.int64 and first.shape == (15,)
    assert first[:3].tolist() == [1, 2, 3]
    assert first.min() >= 0 and first.max() < 6
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert module.generate(model, [0], length=0).tolist() == [0]


def _greedy(model, prompt, length, framework):
    ids = list(prompt)
    for _ in range(length):
        if framework == "torch":
            with torch.no_grad():
                logits = model(torch.tensor([ids]))[0, -1].numpy()
        else:
            logits = np.asarray(model(np.array([ids], dtype="int32"), training=False))[0, -1]
        ids.append(int(np.argmax(logits)))
    return ids


@pytest.mark.parametrize("module", FRAMEWORKS, ids=["torch", "keras"])
def test_tiny_temperature_is_greedy_decoding(module):
    model = module.CharLanguageModel(vocab_size=6, num_hiddens=8)
    framework = "torch" if module is tr else "keras"
    expected = _greedy(model, [2], 8, framework)
    for seed in range(3):
        assert (
            module.generate(model, [2], length=8, temperature=1e-9, seed=seed).tolist() == expected
        )


@pytest.mark.parametrize("module", FRAMEWORKS, ids=["torch", "keras"])
@pytest.mark.parametrize(
    ("prompt", "kwargs", "error", "match"),
    [
        ([1, 6], {}, ValueError, "vocab_size"),
        ([], {}, ValueError, "prompt_ids"),
        ([-1], {}, ValueError, "prompt_ids"),
        ([0.5], {}, TypeError, "prompt_ids"),
        ([[1, 2]], {}, ValueError, "prompt_ids"),
        ([1], {"temperature": 0.0}, ValueError, "temperature"),
        ([1], {"length": -1}, ValueError, "length"),
        ([1], {"seed": "0"}, TypeError, "seed"),
        ([1], {"max_context": 0}, ValueError, "max_context"),
    ],
)
def test_generate_rejects_bad_arguments(module, prompt, kwargs, error, match):
    model = module.CharLanguageModel(vocab_size=6, num_hiddens=4)
    with pytest.raises(error, match=match):
        module.generate(model, prompt, **{"length": 2, **kwargs})


def test_generate_rejects_a_non_model():
    with pytest.raises(TypeError, match="model"):
        tr.generate(object(), [1], length=2)
    with pytest.raises(TypeError, match="model"):
        kr.generate(object(), [1], length=2)


def test_keras_models_round_trip_through_their_config():
    for model in (
        kr.SequenceClassifier(num_inputs=3, num_classes=2, cell="rnn", num_layers=2),
        kr.Forecaster(cell="gru"),
        kr.CharLanguageModel(vocab_size=5, cell="lstm"),
    ):
        clone = type(model).from_config(model.get_config())
        assert clone.count_params() == model.count_params()
        assert clone.get_config() == model.get_config()
