"""LeNet twins: documented errors, sizes at 28x28 and 8x8, and feature_maps."""

import numpy as np
import pytest
import torch

from dlguide.torch.cnn import LeNet, feature_maps


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image_size": "28"}, TypeError, "image_size"),
        ({"image_size": 0}, ValueError, "image_size"),
        ({"image_size": 3}, ValueError, "too small"),  # two poolings need >= 4
        ({"in_channels": 0}, ValueError, "in_channels"),
        ({"num_classes": 2.0}, TypeError, "num_classes"),
        ({"channels": ()}, ValueError, "channels"),
        ({"channels": (16, 0)}, ValueError, r"channels\[1\]"),
        ({"channels": 16}, TypeError, "channels"),
        ({"num_hiddens": 0}, ValueError, "num_hiddens"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"kernel_size": 4}, ValueError, "odd"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    from dlguide.keras.cnn import LeNet as KerasLeNet

    with pytest.raises(error, match=match):
        LeNet(**kwargs)
    with pytest.raises(error, match=match):
        KerasLeNet(**kwargs)


def test_wrong_input_shapes_are_refused():
    from dlguide.keras.cnn import LeNet as KerasLeNet

    model = LeNet()
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        model(torch.zeros(2, 28, 28))  # no channel axis
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        model(torch.zeros(2, 1, 8, 8))
    with pytest.raises(ValueError, match="incompatible with the layer"):
        KerasLeNet()(np.zeros((2, 1, 28, 28), "float32"))  # channels first


@pytest.mark.parametrize(("image_size", "sides"), [(28, [14, 7]), (8, [4, 2])])
def test_feature_maps_halve_the_image_and_8x8_keeps_2x2(image_size, sides):
    from dlguide.keras.cnn import LeNet as KerasLeNet
    from dlguide.keras.cnn import feature_maps as keras_feature_maps

    x = np.random.default_rng(0).random((3, image_size, image_size), dtype=np.float32)
    torch_maps = feature_maps(LeNet(image_size=image_size), torch.as_tensor(x[:, None]))
    keras_maps = keras_feature_maps(KerasLeNet(image_size=image_size), x[..., None])
    assert [tuple(m.shape) for m in torch_maps] == [
        (3, 16 * 2**i, s, s) for i, s in enumerate(sides)
    ]
    assert [tuple(m.shape) for m in keras_maps] == [
        (3, s, s, 16 * 2**i) for i, s in enumerate(sides)
    ]
    assert all(not m.requires_grad for m in torch_maps)


def test_torch_feature_maps_are_what_features_consumes():
    torch.manual_seed(0)
    model = LeNet(image_size=8).eval()
    x = torch.rand(4, 1, 8, 8)
    last = feature_maps(model, x)[-1]  # (4, 32, 2, 2)
    hidden = model.features.relu(model.features.dense(last.flatten(1)))
    torch.testing.assert_close(hidden, model.features(x))
    assert torch.all(feature_maps(model, x)[0] >= 0)  # after ReLU and max pooling


def test_keras_feature_maps_are_what_features_consumes():
    import keras

    from dlguide.keras.cnn import LeNet as KerasLeNet
    from dlguide.keras.cnn import feature_maps as keras_feature_maps

    keras.utils.set_random_seed(0)
    model = KerasLeNet(image_size=8)
    x = np.random.default_rng(0).random((4, 8, 8, 1), dtype=np.float32)
    last = np.asarray(keras_feature_maps(model, x)[-1])  # (4, 2, 2, 32)
    features = keras.Model(model.input, model.get_layer("features").output)
    dense = model.get_layer("dense")
    hidden = np.maximum(np.asarray(dense(last.reshape(4, -1))), 0)
    np.testing.assert_allclose(hidden, np.asarray(features(x)), rtol=1e-5, atol=1e-6)


def test_feature_maps_check_their_arguments():
    from dlguide.keras.cnn import LeNet as KerasLeNet
    from dlguide.keras.cnn import feature_maps as keras_feature_maps

    with pytest.raises(TypeError, match="LeNet"):
        feature_maps(torch.nn.Linear(2, 2), torch.zeros(1, 2))
    with pytest.raises(TypeError, match=r"torch\.Tensor"):
        feature_maps(LeNet(), np.zeros((1, 1, 28, 28)))
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        feature_maps(LeNet(), torch.zeros(1, 1, 8, 8))
    with pytest.raises(ValueError, match=r"\(B, 28, 28, 1\)"):
        keras_feature_maps(KerasLeNet(), np.zeros((1, 1, 28, 28)))
    with pytest.raises(TypeError, match="LeNet"):
        keras_feature_maps(torch.nn.Linear(2, 2), np.zeros((1, 28, 28, 1)))


def test_default_parameter_counts_and_surface():
    from dlguide.keras.cnn import LeNet as KerasLeNet

    model, twin = LeNet(), KerasLeNet()
    # conv 1*16*25+16, conv 16*32*25+32, dense 32*7*7*128+128, head 128*10+10
    expected = 416 + 12_832 + 200_832 + 1_290
    assert sum(p.numel() for p in model.parameters()) == expected
    assert twin.count_params() == expected
    assert model.head.in_features == 128 and model.head.out_features == 10
    assert twin.get_layer("features").output.shape == (None, 128)
    assert twin.get_layer("head").units == 10
    assert "dropout" in dict(LeNet(dropout=0.5).features.named_children())


def test_keras_config_round_trip():
    from dlguide.keras.cnn import LeNet as KerasLeNet

    model = KerasLeNet(image_size=8, channels=(4, 8), num_hiddens=16, dropout=0.25)
    clone = KerasLeNet.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    assert clone.count_params() == model.count_params()
