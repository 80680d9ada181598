"""The Keras config of a dlguide model is the arguments its constructor was called with.

Keras saves a model as its class name and ``get_config()``, and loads it with
``from_config(config)``. Every dlguide Keras class builds all of its layers from its constructor
arguments, so its config *is* those arguments. :class:`ConstructorConfig` records them when
``__init__`` returns, so no class lists its arguments a second time by hand, and no argument can
be left out of a saved file (and come back with its default value, silently).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Self

import keras


def _plain(value: Any) -> Any:
    """Tuples as lists, at any depth: the config as it reads back from a saved file."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _restore(value: Any) -> Any:
    """A nested Keras object (a GAN's networks) from its serialized form; other values as is."""
    if isinstance(value, dict) and "class_name" in value:
        return keras.saving.deserialize_keras_object(value)
    return value


def _recording(init: Callable[..., None]) -> Callable[..., None]:
    """Wrap ``init`` so that, once it returns, the instance keeps the arguments it was given."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = {
            name: value
            for name, value in list(bound.arguments.items())[1:]  # without self
            if signature.parameters[name].kind is not inspect.Parameter.VAR_KEYWORD
        }
        # A subclass's __init__ returns after its parent's: the outermost class's arguments win.
        # A read-only mapping, so Keras does not track it as state.
        self._constructor_arguments = MappingProxyType(arguments)

    # The wrapper shows the signature of ``init`` itself, to ``inspect.signature`` (the API
    # reference) and to ``inspect.getfullargspec`` (Keras' own argument handling) alike.
    del wrapper.__wrapped__
    wrapper.__signature__ = signature  # type: ignore[attr-defined]  # functions take attributes
    return wrapper


class ConstructorConfig:
    """Mixin for dlguide's Keras classes: ``get_config`` returns the constructor's arguments.

    Put it first among the bases (``class LeNet(ConstructorConfig, keras.Model)``). The
    ``__init__`` of each subclass is wrapped when the class is defined; after it returns, the
    arguments it was called with (defaults filled in) are kept. ``get_config`` returns Keras' own
    entries (``name``, ``trainable``, ``dtype``) and those arguments, tuples as lists;
    ``from_config`` rebuilds nested Keras objects and calls the constructor with the config.
    """

    _constructor_arguments: Mapping[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in vars(cls):
            cls.__init__ = _recording(cls.__init__)  # type: ignore[method-assign]  # on purpose

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()  # type: ignore[misc]  # keras.Layer's, later in the bases
        return {**config, **{name: _plain(v) for name, v in self._constructor_arguments.items()}}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        return cls(**{name: _restore(value) for name, value in config.items()})
