"""ResNet twins: documented errors, the plain twin's exact parameter difference, BatchNorm
settings, the identity shortcut, and that both twins compute the same function."""

import numpy as np
import pytest
import torch

from dlguide.torch.resnet import ResidualBlock, ResNet


def _trainable(model) -> int:
    if isinstance(model, torch.nn.Module):
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"num_classes": 0}, ValueError, "num_classes"),
        ({"in_channels": "1"}, TypeError, "in_channels"),
        ({"widths": ()}, ValueError, "widths"),
        ({"widths": (16, -1)}, ValueError, r"widths\[1\]"),
        ({"blocks_per_stage": 0}, ValueError, "blocks_per_stage"),
        ({"skip": 1}, TypeError, "skip"),
    ],
)
def test_resnet_bad_arguments(kwargs, error, match):
    from dlguide.keras.resnet import ResNet as KerasResNet

    with pytest.raises(error, match=match):
        ResNet(**kwargs)
    with pytest.raises(error, match=match):
        KerasResNet(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"in_channels": 0, "out_channels": 4}, ValueError, "in_channels"),
        ({"in_channels": 4, "out_channels": 4.0}, TypeError, "out_channels"),
        ({"in_channels": 4, "out_channels": 4, "stride": 3}, ValueError, "stride"),
        ({"in_channels": 4, "out_channels": 4, "skip": "no"}, TypeError, "skip"),
    ],
)
def test_block_bad_arguments(kwargs, error, match):
    from dlguide.keras.resnet import ResidualBlock as KerasBlock

    with pytest.raises(error, match=match):
        ResidualBlock(**kwargs)
    with pytest.raises(error, match=match):
        KerasBlock(**kwargs)


def test_wrong_input_channels_are_refused():
    from dlguide.keras.resnet import ResNet as KerasResNet

    with pytest.raises(ValueError, match=r"\(B, 1, H, W\)"):
        ResNet()(torch.zeros(2, 3, 28, 28))
    with pytest.raises(ValueError, match=r"\(B, 1, H, W\)"):
        ResNet()(torch.zeros(2, 28, 28))
    with pytest.raises(ValueError, match="incompatible with the layer"):
        KerasResNet()(np.zeros((2, 28, 28, 3), "float32"))


def test_plain_twin_lacks_exactly_the_projections():
    from dlguide.keras.resnet import ResNet as KerasResNet

    # Stage 1: 1x1 conv 16*32 + BN 2*32; stage 2: 1x1 conv 32*64 + BN 2*64.
    projections = (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64)
    assert projections == 2_752
    torch_counts = [_trainable(ResNet(skip=s)) for s in (True, False)]
    keras_counts = [_trainable(KerasResNet(skip=s)) for s in (True, False)]
    assert torch_counts == keras_counts == [174_970, 174_970 - projections]


def test_batchnorm_settings_and_running_statistics():
    from dlguide.keras.resnet import ResNet as KerasResNet

    model, twin = ResNet(), KerasResNet()
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert norms and all(m.eps == 1e-5 and m.momentum == 0.1 for m in norms)
    # The running statistics are buffers (not parameters) in torch ...
    parameter_names = {name for name, _ in model.named_parameters()}
    assert not any("running" in name for name in parameter_names)
    assert sum("running_mean" in name for name, _ in model.named_buffers()) == len(norms)
    # ... and non-trainable weights in Keras, with the same epsilon and equivalent momentum.
    import keras

    keras_norms = [
        layer
        for layer in twin._flatten_layers(include_self=False, recursive=True)
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert len(keras_norms) == len(norms)
    assert all(n.epsilon == 1e-5 and n.momentum == 0.9 for n in keras_norms)
    assert len(twin.non_trainable_weights) == 2 * len(norms)


def test_identity_shortcut_passes_the_input_through():
    """With the last BN zeroed, F(x) = 0: the residual block is relu(x), the plain block 0."""
    x = torch.rand(2, 4, 6, 6)
    for skip, expected in ((True, x), (False, torch.zeros_like(x))):
        block = ResidualBlock(in_channels=4, out_channels=4, skip=skip).eval()
        torch.nn.init.zeros_(block.bn2.weight)
        torch.nn.init.zeros_(block.bn2.bias)
        torch.testing.assert_close(block(x), expected)


def test_projection_only_when_the_shape_changes():
    assert isinstance(ResidualBlock(in_channels=4, out_channels=4).shortcut, torch.nn.Identity)
    assert isinstance(ResidualBlock(in_channels=4, out_channels=8).shortcut, torch.nn.Sequential)
    assert isinstance(
        ResidualBlock(in_channels=4, out_channels=4, stride=2).shortcut, torch.nn.Sequential
    )
    assert ResidualBlock(in_channels=4, out_channels=8, stride=2, skip=False).shortcut is None
    halving = ResidualBlock(in_channels=4, out_channels=8, stride=2)
    assert halving(torch.zeros(1, 4, 7, 7)).shape == (1, 8, 4, 4)


@pytest.mark.parametrize("skip", [True, False])
def test_twins_compute_the_same_function(skip):
    """Copying the torch weights and statistics into Keras gives the same logits (eval mode),
    so padding, strides, projections and BatchNorm agree."""
    from dlguide.keras.resnet import ResNet as KerasResNet

    torch.manual_seed(0)
    model = ResNet(widths=(4, 8), blocks_per_stage=1, skip=skip).eval()
    for m in model.modules():  # non-trivial statistics so that BN matters
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    twin = KerasResNet(widths=(4, 8), blocks_per_stage=1, skip=skip)
    state = [v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    assert len(state) == len(twin.weights)
    for value, weight in zip(state, twin.weights, strict=True):
        array = value.numpy()
        if array.ndim == 4:
            array = array.transpose(2, 3, 1, 0)  # conv (out, in, kh, kw) -> (kh, kw, in, out)
        elif array.ndim == 2:
            array = array.T  # dense (out, in) -> (in, out)
        weight.assign(array)
    x = np.random.default_rng(0).random((3, 10, 10, 1), dtype=np.float32)
    with torch.no_grad():
        expected = model(torch.as_tensor(x.transpose(0, 3, 1, 2))).numpy()
    np.testing.assert_allclose(np.asarray(twin(x, training=False)), expected, atol=1e-5)


def test_keras_config_round_trip():
    from dlguide.keras.resnet import ResNet as KerasResNet

    model = KerasResNet(widths=(4, 8), blocks_per_stage=1, skip=False)
    clone = KerasResNet.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    assert _trainable(clone) == _trainable(model)
    block = model.get_layer("stage1_block0")
    assert block.get_config()["skip"] is False and block.get_config()["stride"] == 2


def test_keras_archive_round_trip_in_safe_mode(tmp_path):
    from dlguide.keras.resnet import ResNet as KerasResNet
    from dlguide.keras.serialization import load_model, save_model

    model = KerasResNet(widths=(4, 8), blocks_per_stage=1)
    save_model(model, tmp_path / "resnet.keras")
    loaded = load_model(tmp_path / "resnet.keras")
    x = np.random.default_rng(0).random((2, 12, 12, 1), dtype=np.float32)
    assert isinstance(loaded, KerasResNet)
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))
