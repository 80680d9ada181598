"""The transformer family: attention weights, causal masking, shapes, twin equality."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlguide.keras import transformer as kt
from dlguide.torch import transformer as tt

FRAMEWORKS = [tt, kt]
IDS = ["torch", "keras"]


def _numpy(tensor):
    return tensor.detach().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)


def _tokens(rng=None):
    rng = rng or np.random.default_rng(0)
    return rng.standard_normal((2, 6, 8)).astype(np.float32)


def _call(module, layer, x):
    return layer(torch.as_tensor(x)) if module is tt else layer(x)


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
@pytest.mark.parametrize("causal", [False, True])
def test_attention_rows_sum_to_one(module, causal):
    attention = module.MultiHeadSelfAttention(embed_dim=8, num_heads=2, causal=causal)
    assert attention.attention_weights is None
    out = _call(module, attention, _tokens())
    weights = _numpy(attention.attention_weights)
    assert tuple(out.shape) == (2, 6, 8)
    assert weights.shape == (2, 2, 6, 6)
    assert np.all(weights >= 0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-5)
    upper = np.triu(np.ones((6, 6), dtype=bool), k=1)
    if causal:
        assert np.all(weights[..., upper] == 0)
    else:
        assert np.all(weights[..., upper] > 0)


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
def test_return_attention_gives_the_stored_weights(module):
    attention = module.MultiHeadSelfAttention(embed_dim=8, num_heads=4)
    x = _tokens()
    out, weights = (
        attention(torch.as_tensor(x), return_attention=True)
        if module is tt
        else attention(x, return_attention=True)
    )
    np.testing.assert_array_equal(_numpy(weights), _numpy(attention.attention_weights))
    np.testing.assert_array_equal(_numpy(out), _numpy(_call(module, attention, x)))


def test_torch_attention_equals_nn_multihead_attention():
    torch.manual_seed(0)
    ours = tt.MultiHeadSelfAttention(embed_dim=8, num_heads=2)
    reference = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    with torch.no_grad():
        reference.in_proj_weight.copy_(ours.qkv.weight)
        reference.in_proj_bias.copy_(ours.qkv.bias)
        reference.out_proj.weight.copy_(ours.proj.weight)
        reference.out_proj.bias.copy_(ours.proj.bias)
        x = torch.as_tensor(_tokens())
        expected, expected_weights = reference(x, x, x, average_attn_weights=False)
        torch.testing.assert_close(ours(x), expected)
        torch.testing.assert_close(ours.attention_weights, expected_weights)


@pytest.mark.parametrize("causal", [False, True])
def test_keras_attention_equals_torch_attention(causal):
    torch_layer = tt.MultiHeadSelfAttention(embed_dim=8, num_heads=2, causal=causal)
    keras_layer = kt.MultiHeadSelfAttention(embed_dim=8, num_heads=2, causal=causal)
    x = _tokens()
    keras_layer(x)  # build
    weights = [p.detach().numpy() for p in (torch_layer.qkv.weight, torch_layer.qkv.bias)]
    keras_layer.qkv.set_weights([weights[0].T, weights[1]])
    keras_layer.proj.set_weights(
        [torch_layer.proj.weight.detach().numpy().T, torch_layer.proj.bias.detach().numpy()]
    )
    with torch.no_grad():
        expected = torch_layer(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(np.asarray(keras_layer(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        np.asarray(keras_layer.attention_weights), torch_layer.attention_weights.numpy(), atol=1e-6
    )


def _char_outputs(module, model, ids):
    if module is tt:
        with torch.no_grad():
            return model(torch.as_tensor(ids)).numpy()
    return np.asarray(model(ids.astype("int32"), training=False))


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
def test_char_transformer_does_not_look_ahead(module):
    model = module.CharTransformer(vocab_size=9, context_length=12, embed_dim=16, num_heads=2)
    ids = np.random.default_rng(0).integers(0, 9, size=(2, 10))
    changed = ids.copy()
    changed[:, 6] = (changed[:, 6] + 1) % 9
    before, after = _char_outputs(module, model, ids), _char_outputs(module, model, changed)
    assert before.shape == (2, 10, 9)
    np.testing.assert_allclose(before[:, :6], after[:, :6], rtol=1e-6, atol=1e-6)
    assert not np.allclose(before[:, 6:], after[:, 6:])


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
def test_a_block_without_the_mask_does_look_ahead(module):
    """The control for the test above: without ``causal`` a later token changes earlier outputs."""
    block = module.EncoderBlock(embed_dim=8, num_heads=2)
    x = _tokens()
    changed = x.copy()
    changed[:, 4] = np.random.default_rng(1).standard_normal((2, 8))  # a shift alone is normed away
    before, after = _numpy(_call(module, block, x)), _numpy(_call(module, block, changed))
    assert not np.allclose(before[:, :4], after[:, :4])


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
def test_char_transformer_rejects_sequences_longer_than_its_context(module):
    model = module.CharTransformer(vocab_size=5, context_length=4, embed_dim=8, num_heads=2)
    ids = np.zeros((1, 5), dtype=np.int64)
    with pytest.raises(ValueError, match="4"):
        _char_outputs(module, model, ids)


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
def test_generate_keeps_to_the_context_length(module):
    model = module.CharTransformer(vocab_size=5, context_length=4, embed_dim=8, num_heads=2)
    ids = module.generate(model, [0, 1, 2, 3, 4], length=6, seed=1)
    assert ids.shape == (11,) and ids[:5].tolist() == [0, 1, 2, 3, 4]
    assert ids.min() >= 0 and ids.max() < 5


def test_attention_layer_rejects_wrong_shapes():
    attention = tt.MultiHeadSelfAttention(embed_dim=8, num_heads=2)
    with pytest.raises(ValueError, match=r"\(B, T, 8\)"):
        attention(torch.zeros(2, 6, 4))
    with pytest.raises(ValueError, match=r"\(B, T, 8\)"):
        attention(torch.zeros(6, 8))
    keras_attention = kt.MultiHeadSelfAttention(embed_dim=8, num_heads=2)
    with pytest.raises(ValueError, match=r"\(B, T, 8\)"):
        keras_attention(np.zeros((2, 6, 4), dtype="float32"))


def test_vision_transformers_reject_wrong_image_shapes():
    with pytest.raises(ValueError, match="channels first"):
        tt.VisionTransformer()(torch.zeros(2, 28, 28, 1))
    with pytest.raises(ValueError, match="incompatible"):
        kt.VisionTransformer()(np.zeros((2, 1, 28, 28), dtype="float32"))


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda m: m.MultiHeadSelfAttention(embed_dim=10, num_heads=4), ValueError, "divisible"),
        (lambda m: m.MultiHeadSelfAttention(embed_dim=8, num_heads=0), ValueError, "num_heads"),
        (
            lambda m: m.MultiHeadSelfAttention(embed_dim=8, num_heads=2, causal=1),
            TypeError,
            "causal",
        ),
        (
            lambda m: m.MultiHeadSelfAttention(embed_dim=8, num_heads=2, dropout=1.0),
            ValueError,
            "dropout",
        ),
        (lambda m: m.EncoderBlock(embed_dim=8, num_heads=2, mlp_ratio=0), ValueError, "mlp_ratio"),
        (lambda m: m.CharTransformer(vocab_size=0), ValueError, "vocab_size"),
        (
            lambda m: m.CharTransformer(vocab_size=5, context_length=2.5),
            TypeError,
            "context_length",
        ),
        (lambda m: m.VisionTransformer(patch_size=5), ValueError, "patch_size must divide"),
        (lambda m: m.VisionTransformer(in_channels=0), ValueError, "in_channels"),
        (lambda m: m.VisionTransformer(pool="max"), ValueError, "pool"),
        (lambda m: m.VisionTransformer(embed_dim=30), ValueError, "divisible"),
    ],
)
def test_constructors_reject_bad_arguments(module, build, error, match):
    with pytest.raises(error, match=match):
        build(module)


def test_vision_transformer_surface_and_attention_maps():
    images = np.random.default_rng(0).random((3, 1, 28, 28), dtype=np.float32)
    torch_model = tt.VisionTransformer()
    maps = tt.attention_maps(torch_model, torch.as_tensor(images))
    assert torch_model.training  # the mode is restored
    assert [tuple(m.shape) for m in maps] == [(3, 4, 17, 17)] * 2
    assert tuple(torch_model.features(torch.as_tensor(images)).shape) == (3, 64)
    assert isinstance(torch_model.head, torch.nn.Linear)

    import keras

    keras_model = kt.VisionTransformer()
    channels_last = images.transpose(0, 2, 3, 1)  # (B, C, H, W) -> (B, H, W, C)
    keras_maps = kt.attention_maps(keras_model, channels_last)
    assert [tuple(m.shape) for m in keras_maps] == [(3, 4, 17, 17)] * 2
    for weights in [*maps, *keras_maps]:
        np.testing.assert_allclose(_numpy(weights).sum(axis=-1), 1.0, rtol=1e-5)
    extractor = keras.Model(keras_model.input, keras_model.get_layer("features").output)
    assert tuple(extractor(channels_last).shape) == (3, 64)


@pytest.mark.parametrize("module", FRAMEWORKS, ids=IDS)
def test_mean_pooling_has_no_class_token(module):
    model = module.VisionTransformer(
        image_size=8, patch_size=4, embed_dim=8, num_heads=2, pool="mean"
    )
    images = np.zeros((2, 1, 8, 8), dtype=np.float32)
    x = torch.as_tensor(images) if module is tt else images.transpose(0, 2, 3, 1)
    maps = module.attention_maps(model, x)
    assert tuple(maps[0].shape) == (2, 2, 4, 4)  # 4 patches, no class token


def test_twin_parameter_counts_with_defaults():
    torch_counts = [
        sum(p.numel() for p in m.parameters())
        for m in (tt.VisionTransformer(), tt.CharTransformer(vocab_size=96))
    ]
    keras_counts = [
        m.count_params() for m in (kt.VisionTransformer(), kt.CharTransformer(vocab_size=96))
    ]
    assert torch_counts == keras_counts == [105_098, 116_576]


def test_attention_maps_rejects_models_without_attention():
    with pytest.raises(ValueError, match="no MultiHeadSelfAttention"):
        tt.attention_maps(torch.nn.Linear(2, 2), torch.zeros(1, 2))
    with pytest.raises(TypeError, match="model"):
        tt.attention_maps("model", torch.zeros(1, 2))
    import keras

    with pytest.raises(ValueError, match="no MultiHeadSelfAttention"):
        kt.attention_maps(keras.layers.Dense(2), np.zeros((1, 2)))
    with pytest.raises(TypeError, match="model"):
        kt.attention_maps("model", np.zeros((1, 2)))


def test_keras_char_transformer_survives_a_keras_archive(tmp_path):
    from dlguide.keras.serialization import load_model, save_model

    model = kt.CharTransformer(
        vocab_size=7, context_length=8, embed_dim=8, num_heads=2, num_layers=1
    )
    ids = np.random.default_rng(0).integers(0, 7, size=(2, 8)).astype("int32")
    save_model(model, tmp_path / "char.keras")
    loaded = load_model(tmp_path / "char.keras")
    np.testing.assert_allclose(np.asarray(loaded(ids)), np.asarray(model(ids)), rtol=1e-6)
    assert loaded.context_length == 8 and loaded.vocab_size == 7
