"""The LeNet weights that ship with dlguide: accuracy, the Keras conversion, safe loading."""

import json
from importlib import resources

import numpy as np
import pytest
import torch

from dlguide.data.fashion_mnist import load_fashion_mnist
from dlguide.torch.cnn import LeNet, pretrained_lenet
from dlguide.torch.serialization import load_weights


@pytest.fixture(scope="module")
def record():
    path = resources.files("dlguide").joinpath("_data", "lenet_fashion_mnist.json")
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def test_set():
    _, (x_test, y_test) = load_fashion_mnist(num_train=10)
    return x_test, y_test


def test_json_records_the_training(record):
    assert set(record["arguments"]) == {
        "image_size", "in_channels", "num_classes", "channels", "num_hiddens", "dropout",
        "kernel_size",
    }  # fmt: skip
    assert isinstance(record["seed"], int) and record["epochs"] >= 1
    assert record["test_images"] == 10_000
    assert record["test_accuracy"] >= 0.85


def test_shipped_weights_reach_the_recorded_accuracy(record, test_set):
    x_test, y_test = test_set
    model = pretrained_lenet(device="cpu")
    assert not model.training
    with torch.no_grad():
        logits = torch.cat([model(torch.as_tensor(x[:, None])) for x in np.array_split(x_test, 10)])
    accuracy = float((logits.argmax(1).numpy() == y_test).mean())
    assert len(y_test) == 10_000
    assert abs(accuracy - record["test_accuracy"]) <= 0.002


def test_keras_twin_matches_torch_logits(test_set):
    from dlguide.keras.cnn import LeNet as KerasLeNet
    from dlguide.keras.cnn import pretrained_lenet as keras_pretrained_lenet

    x = test_set[0][:64]
    with torch.no_grad():
        expected = pretrained_lenet()(torch.as_tensor(x[:, None])).numpy()  # (64, 1, 28, 28)
    twin = keras_pretrained_lenet()
    assert isinstance(twin, KerasLeNet)
    logits = np.asarray(twin(x[..., None], training=False))  # (64, 28, 28, 1)
    np.testing.assert_allclose(logits, expected, rtol=0, atol=1e-4)
    assert np.abs(expected).max() > 1.0  # trained logits, not a trivial all-zero match


def test_keras_module_does_not_import_torch():
    source = resources.files("dlguide").joinpath("keras", "cnn.py").read_text()
    assert "import torch" not in source and "from torch" not in source


def test_load_weights_refuses_pickle_paths_and_forged_files(tmp_path):
    model = LeNet()
    pickle_path = tmp_path / "model.pt"
    torch.save(model.state_dict(), pickle_path)
    with pytest.raises(ValueError, match="pickle"):
        load_weights(model, pickle_path)
    forged = tmp_path / "model.safetensors"
    forged.write_bytes(pickle_path.read_bytes())  # a pickle archive renamed
    with pytest.raises(ValueError, match="not a valid safetensors file"):
        load_weights(model, forged)
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\xff" * 8 + b"{not json")
    with pytest.raises(ValueError, match="not a valid safetensors file"):
        load_weights(model, garbage)
