"""Loading weights never executes code from a file: crafted malicious files are refused."""

from __future__ import annotations

import os
import pickle
import zipfile

import pytest


class _Payload:
    """Unpickling this object would create a marker file: the proof that code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _malicious_pickle(path, marker) -> None:
    with open(path, "wb") as stream:
        pickle.dump({"weight": _Payload(str(marker))}, stream)


def test_torch_refuses_a_pickle_file(tmp_path):
    from dlguide.torch import MLP, load_weights

    marker = tmp_path / "pwned"
    _malicious_pickle(tmp_path / "weights.pt", marker)
    with pytest.raises(ValueError, match="safetensors"):
        load_weights(MLP(num_inputs=4, num_outputs=2), tmp_path / "weights.pt")
    assert not marker.exists()


def test_torch_refuses_a_pickle_disguised_as_safetensors(tmp_path):
    from dlguide.torch import MLP, load_weights

    marker = tmp_path / "pwned"
    _malicious_pickle(tmp_path / "weights.safetensors", marker)
    with pytest.raises(ValueError, match="not a valid safetensors file"):
        load_weights(MLP(num_inputs=4, num_outputs=2), tmp_path / "weights.safetensors")
    assert not marker.exists()


def test_torch_refuses_weights_of_another_architecture(tmp_path):
    from dlguide.torch import MLP, load_weights, save_weights

    save_weights(MLP(num_inputs=4, num_outputs=2), tmp_path / "w.safetensors")
    with pytest.raises(ValueError, match="do not match"):
        load_weights(MLP(num_inputs=5, num_outputs=2), tmp_path / "w.safetensors")


def test_keras_refuses_an_archive_with_a_lambda_layer(tmp_path):
    """A .keras archive whose Lambda layer carries Python bytecode is refused in safe mode."""
    import keras

    from dlguide.keras import load_model

    marker = tmp_path / "pwned"
    inputs = keras.Input(shape=(2,))
    outputs = keras.layers.Lambda(lambda x: x * 2)(inputs)
    model = keras.Model(inputs, outputs)
    path = tmp_path / "evil.keras"
    model.save(path)
    # Replace the lambda's code with code that would create the marker when deserialised.
    with zipfile.ZipFile(path) as archive:
        config = archive.read("config.json").decode()
        assert "__lambda__" in config
        members = {name: archive.read(name) for name in archive.namelist()}
    evil = compile(f"open({str(marker)!r}, 'w').close()", "<evil>", "exec")
    import base64
    import marshal

    code = base64.b64encode(marshal.dumps(evil)).decode()
    import json
    import re

    config = re.sub(r'("code": ")[^"]*(")', lambda m: m.group(1) + code + m.group(2), config)
    members["config.json"] = json.dumps(json.loads(config)).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match="safe mode"):
        load_model(path)
    assert not marker.exists()


def test_keras_round_trip_of_a_dlguide_model_in_safe_mode(tmp_path):
    import numpy as np

    from dlguide.keras import MLP, load_model, save_model

    model = MLP(num_inputs=4, num_outputs=3, num_hiddens=(5,))
    x = np.random.default_rng(0).random((6, 4), dtype=np.float32)
    save_model(model, tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
