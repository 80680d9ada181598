"""The API reference shows a Keras class's own constructor, not Keras' ``(*args, **kwargs)``."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))

from api_signatures import _pass_through_new, init_signature


class PassThrough:
    def __new__(cls, *args, **kwargs):  # what keras.Layer and keras.Model do
        return super().__new__(cls)


class Model(PassThrough):
    def __init__(self, *, num_inputs: int, dropout: float = 0.0, **kwargs) -> None:
        self.num_inputs = num_inputs


class Plain:
    def __init__(self, width: int = 3) -> None:
        self.width = width


def test_pass_through_new_is_detected():
    assert _pass_through_new(Model)
    assert not _pass_through_new(Plain)
    # autodoc takes the first user-defined __new__ before __init__: (*args, **kwargs).
    assert str(inspect.signature(Model.__new__)) == "(cls, *args, **kwargs)"


def test_init_signature_without_self():
    signature = init_signature(Model)
    assert list(signature.parameters) == ["num_inputs", "dropout", "kwargs"]
    assert signature.parameters["dropout"].default == 0.0


def test_a_dlguide_keras_class():
    keras_mlp = __import__("dlguide.keras", fromlist=["MLP"]).MLP
    assert _pass_through_new(keras_mlp)
    parameters = init_signature(keras_mlp).parameters
    assert parameters["num_hiddens"].default == (128, 64)
    assert parameters["num_inputs"].kind is inspect.Parameter.KEYWORD_ONLY
