"""The contract every architecture family keeps, checked so that none can drift.

A family is one module in ``dlguide/torch`` and its twin of the same name in ``dlguide/keras``.
Each family has both twins; a model family (one that defines models) has a spec in
``tests/unit/specs``; what one twin exports from its package (``__all__``) the other exports too;
the API reference lists the module and every exported name. And every Keras class that Keras can
save comes back from a saved file with every constructor argument it was given: built with a
non-default value for each argument, saved, loaded, its ``get_config()`` holds those values.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "dlguide"
SPECS = ROOT / "tests" / "unit" / "specs"
API_DOCS = "\n".join(path.read_text() for path in sorted((ROOT / "docs" / "api").glob("*.rst")))

# Modules with no twin, and why.
TORCH_ONLY_MODULES = {"training": "Keras models train with their own compile/fit"}
# Exported names with no twin of the same name, and why.
ONE_SIDED_NAMES = {
    "torch": {
        "gan_train_step": "Keras trains a GAN with GAN.fit (a custom train_step)",
        "to_loader": "the PyTorch input pipeline; Keras has to_dataset",
    },
    "keras": {
        "GAN": "the Keras form of gan_train_step",
        "torch_to_keras_weights": "reads the PyTorch weights that ship with dlguide",
        "to_dataset": "the Keras input pipeline; PyTorch has to_loader",
        "save_model": "a whole Keras model (architecture and weights) in one safe file",
        "load_model": "a whole Keras model (architecture and weights) in one safe file",
    },
}
# Classes both twins define for their own use only, not exported.
INTERNAL_CLASSES = {"CapsuleLength", "Pool"}


def _modules(framework: str) -> list[str]:
    return sorted(path.stem for path in (PACKAGE / framework).glob("*.py") if path.stem[0] != "_")


def _exported(framework: str, module: str) -> set[str]:
    """Names in the package's ``__all__`` that the module defines."""
    package = importlib.import_module(f"dlguide.{framework}")
    name = f"dlguide.{framework}.{module}"
    return {n for n in package.__all__ if getattr(package.__dict__[n], "__module__", None) == name}


def _classes(framework: str, module: str) -> set[str]:
    """Public classes the module defines."""
    module = importlib.import_module(f"dlguide.{framework}.{module}")
    return {
        name
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and obj.__module__ == module.__name__ and name[0] != "_"
    }


def _model_families() -> list[str]:
    """Modules whose PyTorch twin defines at least one ``nn.Module``."""
    from torch import nn

    families = []
    for module in _modules("torch"):
        objects = vars(importlib.import_module(f"dlguide.torch.{module}")).values()
        name = f"dlguide.torch.{module}"
        if any(
            inspect.isclass(o) and issubclass(o, nn.Module) and o.__module__ == name
            for o in objects
        ):
            families.append(module)
    return families


SHARED_MODULES = sorted(set(_modules("torch")) & set(_modules("keras")))


# --- twins, specs, __all__, API reference --------------------------------------------------------


def test_every_module_has_a_twin():
    torch_only = set(_modules("torch")) - set(_modules("keras")) - set(TORCH_ONLY_MODULES)
    keras_only = set(_modules("keras")) - set(_modules("torch"))
    assert not torch_only, f"dlguide/torch modules without a Keras twin: {sorted(torch_only)}"
    assert not keras_only, f"dlguide/keras modules without a PyTorch twin: {sorted(keras_only)}"


def test_every_model_family_has_a_spec_for_both_twins():
    families = _model_families()
    assert "mlp" in families and "cnn" in families  # the introspection works
    for family in families:
        path = SPECS / f"{family}.py"
        assert path.exists(), (
            f"model family {family!r} has no spec: add tests/unit/specs/{family}.py"
        )
        specs = importlib.import_module(f"tests.unit.specs.{family}").SPECS
        frameworks = {spec.framework for spec in specs}
        assert frameworks == {"torch", "keras"}, f"specs/{family}.py covers only {frameworks}"


@pytest.mark.parametrize("module", SHARED_MODULES)
def test_twins_export_the_same_names(module):
    exported = {framework: _exported(framework, module) for framework in ("torch", "keras")}
    for framework, other in (("torch", "keras"), ("keras", "torch")):
        missing = exported[framework] - exported[other] - set(ONE_SIDED_NAMES[framework])
        assert not missing, (
            f"dlguide.{framework} exports {sorted(missing)} from {module}.py, "
            f"dlguide.{other}.__all__ does not"
        )
    shared = _classes("torch", module) & _classes("keras", module)
    for framework in ("torch", "keras"):
        forgotten = shared - exported[framework] - INTERNAL_CLASSES
        assert not forgotten, (
            f"{sorted(forgotten)} (defined in both {module}.py) missing from "
            f"dlguide.{framework}.__all__"
        )


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_the_api_reference_lists_every_family_and_name(framework):
    package = importlib.import_module(f"dlguide.{framework}")
    for family in _model_families():
        assert f".. automodule:: dlguide.{framework}.{family}\n" in API_DOCS, (
            f"docs/api lists no module dlguide.{framework}.{family}"
        )
    for name in package.__all__:
        if inspect.ismodule(getattr(package, name)):
            continue
        assert re.search(rf"^ +{re.escape(name)} *$", API_DOCS, re.MULTILINE), (
            f"dlguide.{framework}.{name} has no autosummary entry in docs/api"
        )


# --- Keras: every constructor argument survives save and load -----------------------------------

# For every Keras class dlguide registers: a valid value different from the default for each
# constructor argument (arguments without a default get any valid value), small enough to build
# in milliseconds. A class, or an argument, missing here fails the test.
NON_DEFAULT = {
    "CapsuleLength": lambda: {},
    "CapsuleNet": lambda: {
        "num_classes": 3,
        "image_size": 20,
        "in_channels": 2,
        "conv_channels": 4,
        "primary_types": 2,
        "primary_dim": 4,
        "digit_dim": 3,
        "routing_iterations": 2,
        "reconstruction": True,
    },
    "CharLanguageModel": lambda: {
        "vocab_size": 7,
        "embedding_dim": 4,
        "num_hiddens": 5,
        "num_layers": 2,
        "cell": "gru",
    },
    "CharTransformer": lambda: {
        "vocab_size": 7,
        "context_length": 6,
        "embed_dim": 8,
        "num_heads": 2,
        "num_layers": 1,
    },
    "ClassToken": lambda: {"embed_dim": 4},
    "ConvAutoencoder": lambda: {
        "in_channels": 2,
        "image_size": 8,
        "channels": (4,),
        "latent_dim": 3,
    },
    "DCGANDiscriminator": lambda: {"channels": (4,)},
    "DCGANGenerator": lambda: {"latent_dim": 5, "channels": (8,)},
    "DeepBeliefNet": lambda: {"layer_sizes": (6, 4, 3)},
    "DenseAutoencoder": lambda: {
        "num_inputs": 12,
        "num_hiddens": (6,),
        "latent_dim": 3,
        "input_shape": (3, 4),
    },
    "DigitCapsules": lambda: {
        "num_in_capsules": 6,
        "in_dim": 4,
        "num_out_capsules": 3,
        "out_dim": 5,
        "routing_iterations": 2,
    },
    "Discriminator2D": lambda: {"num_hiddens": 8},
    "EncoderBlock": lambda: {
        "embed_dim": 8,
        "num_heads": 2,
        "mlp_ratio": 2,
        "dropout": 0.1,
        "causal": True,
    },
    "EuclideanDistance": lambda: {"eps": 1e-6},
    "Forecaster": lambda: {
        "num_inputs": 2,
        "num_outputs": 3,
        "num_hiddens": 5,
        "num_layers": 2,
        "cell": "rnn",
    },
    "GAN": lambda: _gan_arguments(),
    "Generator2D": lambda: {"latent_dim": 3, "num_hiddens": 8},
    "LeNet": lambda: {
        "image_size": 12,
        "in_channels": 2,
        "num_classes": 3,
        "channels": (4,),
        "num_hiddens": 8,
        "dropout": 0.5,
        "kernel_size": 3,
    },
    "MLP": lambda: {
        "num_inputs": 12,
        "num_outputs": 3,
        "num_hiddens": (5,),
        "activation": "tanh",
        "dropout": 0.25,
        "input_shape": (3, 4),
    },
    "MultiHeadSelfAttention": lambda: {
        "embed_dim": 8,
        "num_heads": 2,
        "dropout": 0.1,
        "causal": True,
    },
    "PolicyNetwork": lambda: {"num_observations": 3, "num_actions": 4, "num_hiddens": (5, 3)},
    "Pool": lambda: {"pool": "mean"},
    "PositionEmbedding": lambda: {"max_length": 5, "embed_dim": 4},
    "PrimaryCapsules": lambda: {"num_types": 2, "capsule_dim": 4, "kernel_size": 3, "stride": 1},
    "QNetwork": lambda: {"num_observations": 3, "num_actions": 4, "num_hiddens": (5,)},
    "RBM": lambda: {"num_visible": 6, "num_hidden": 4},
    "ResNet": lambda: {
        "num_classes": 3,
        "in_channels": 2,
        "widths": (4, 8),
        "blocks_per_stage": 1,
        "skip": False,
    },
    "ResidualBlock": lambda: {"in_channels": 3, "out_channels": 5, "stride": 2, "skip": False},
    "SRCNN": lambda: {"channels": 3, "widths": (4, 2), "kernel_sizes": (3, 1, 3)},
    "SequenceClassifier": lambda: {
        "num_inputs": 3,
        "num_classes": 4,
        "num_hiddens": 5,
        "num_layers": 2,
        "cell": "gru",
    },
    "SiameseNetwork": lambda: {"embedding_dim": 4, "in_channels": 2, "image_size": 8},
    "UNet": lambda: {"in_channels": 2, "num_classes": 3, "widths": (4, 8)},
    "VAE": lambda: {"num_inputs": 12, "num_hiddens": (6, 4), "latent_dim": 3},
    "VisionTransformer": lambda: {
        "image_size": 8,
        "patch_size": 4,
        "in_channels": 2,
        "num_classes": 3,
        "embed_dim": 8,
        "num_heads": 2,
        "num_layers": 1,
        "pool": "mean",
    },
}


def _gan_arguments() -> dict:
    from dlguide.keras import Discriminator2D, Generator2D

    return {
        "generator": Generator2D(latent_dim=3, num_hiddens=8),
        "discriminator": Discriminator2D(num_hiddens=8),
        "latent_dim": 3,
    }


def _keras_classes() -> dict[str, type]:
    """Every class dlguide registers with Keras' serialization, by name."""
    import keras

    import dlguide.keras

    for info in pkgutil.iter_modules(dlguide.keras.__path__):
        importlib.import_module(f"dlguide.keras.{info.name}")
    return {
        name.removeprefix("dlguide>"): cls
        for name, cls in keras.saving.get_custom_objects().items()
        if name.startswith("dlguide>")
    }


def _parameters(cls: type) -> dict[str, inspect.Parameter]:
    """The arguments of the constructor dlguide wrote (none when Keras' own is used)."""
    owner = next(c for c in cls.__mro__ if "__init__" in vars(c))
    if not owner.__module__.startswith("dlguide."):
        return {}
    return {
        name: parameter
        for name, parameter in list(inspect.signature(cls.__init__).parameters.items())[1:]
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    }


def _plain(value):
    """A comparable form: tuples as lists, nested Keras objects as class name and config."""
    import keras

    if isinstance(value, keras.layers.Layer):
        config = {k: v for k, v in value.get_config().items() if k != "name"}
        return {"class": type(value).__name__, "config": _plain(config)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def test_every_registered_keras_class_has_non_default_values():
    assert sorted(_keras_classes()) == sorted(NON_DEFAULT)


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_keras_class_round_trips_every_argument(name, tmp_path):
    import keras

    from dlguide.keras import load_model, save_model

    cls = _keras_classes()[name]
    arguments = NON_DEFAULT[name]()
    parameters = _parameters(cls)
    assert set(arguments) == set(parameters), "NON_DEFAULT must give every argument a value"
    for argument, parameter in parameters.items():
        assert _plain(arguments[argument]) != _plain(parameter.default), (
            f"NON_DEFAULT[{name!r}][{argument!r}] equals the default"
        )

    original = cls(**arguments)
    if isinstance(original, keras.Model):
        save_model(original, tmp_path / "model.keras")
        loaded = load_model(tmp_path / "model.keras")
    else:  # a layer: the serialization save_model applies to each layer of a model
        serialized = json.loads(json.dumps(keras.saving.serialize_keras_object(original)))
        loaded = keras.saving.deserialize_keras_object(serialized)

    assert type(loaded) is cls
    config = _plain(loaded.get_config())
    for argument in parameters:
        assert argument in config, f"{name}.get_config() has no {argument!r}"
        assert config[argument] == _plain(arguments[argument]), (
            f"{name}({argument}={arguments[argument]!r}) came back as {config[argument]!r}"
        )
    assert config == _plain(original.get_config())
