"""A multilayer perceptron, the Keras twin of :mod:`dlguide.torch.mlp`.

Rumelhart, Hinton & Williams (1986), "Learning representations by back-propagating errors",
Nature 323:533-536, https://doi.org/10.1038/323533a0; dropout: Srivastava et al. (2014),
https://jmlr.org/papers/v15/srivastava14a.html.

The model is a functional Keras model (inputs -> outputs built once in ``__init__``) wrapped in a
class so it has the same name, arguments and parts as its PyTorch twin: the layer named
``"features"`` ends the representation and the layer named ``"head"`` is the classifier. Like the
twin, it takes any input with ``num_inputs`` values per example, e.g. ``(B, 8, 8)`` digits for
``num_inputs=64``, and flattens it. Its hidden layers come from ``dense_stack``, which the
autoencoders and the VAE use too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import keras
from keras import layers, ops

from dlguide._checks import check_choice, check_int_sequence, check_positive_int, check_probability
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor

ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu")


def dense_stack(
    num_hiddens: Sequence[int],
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    name: str | None = None,
) -> list[layers.Layer]:
    """Fully connected layers ``[Dense with activation -> Dropout]``, one per width.

    Keras infers each layer's input width, so the widths start with the first layer's, where
    the PyTorch twin starts with the input's.

    Args:
        num_hiddens: Width of each layer, in order; ``()`` gives no layer.
        activation: One of ``ACTIVATIONS``.
        dropout: Probability of zeroing a unit after each activation; 0 adds no ``Dropout``.
        name: Names the dense layers ``f"{name}_{i}"``; ``None`` lets Keras name them.

    Returns:
        The layers in order, to apply one after the other or to pass to ``keras.Sequential``;
        they map ``(B, width)`` to ``(B, num_hiddens[-1])``.

    Example:
        >>> [layer.units for layer in dense_stack((8, 4))]
        [8, 4]
    """
    stack: list[layers.Layer] = []
    for i, hidden in enumerate(num_hiddens):  # (B, width) -> (B, hidden)
        layer_name = None if name is None else f"{name}_{i}"
        stack.append(layers.Dense(hidden, activation=activation, name=layer_name))
        if dropout > 0:
            stack.append(layers.Dropout(dropout))
    return stack


@keras.saving.register_keras_serializable(package="dlguide")
class MLP(ConstructorConfig, keras.Model):
    """A feedforward network: ``Flatten -> [Dense -> activation -> Dropout] * L -> Dense``.

    Args:
        num_inputs: Features per example after flattening (64 for 8x8 digits).
        num_outputs: Outputs: classes for a classifier (logits), 1 or more for a regressor.
        num_hiddens: Width of each hidden layer; ``()`` gives a linear model.
        activation: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"gelu"``.
        dropout: Probability of zeroing a hidden unit during training, in ``[0, 1)``.
        input_shape: Shape of the model's input layer (``model.input_shape`` without the batch);
            default ``(num_inputs,)``. Any input with ``num_inputs`` values per example works.

    Raises:
        ValueError: When called on input with another number of values per example.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import MLP
        >>> model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(32,))
        >>> model(np.zeros((5, 8, 8))).shape
        TensorShape([5, 10])
    """

    def __init__(
        self,
        *,
        num_inputs: int,
        num_outputs: int,
        num_hiddens: Sequence[int] = (128, 64),
        activation: str = "relu",
        dropout: float = 0.0,
        input_shape: Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        num_inputs = check_positive_int("num_inputs", num_inputs)
        num_outputs = check_positive_int("num_outputs", num_outputs)
        num_hiddens = check_int_sequence("num_hiddens", num_hiddens, minimum=1)
        check_choice("activation", activation, ACTIVATIONS)
        dropout = check_probability("dropout", dropout)
        input_shape = check_int_sequence("input_shape", input_shape or (num_inputs,))
        size = math.prod(input_shape)
        if size != num_inputs:
            raise ValueError(
                f"input_shape {input_shape} holds {size} values, not num_inputs={num_inputs}"
            )

        inputs = keras.Input(shape=input_shape)
        x = layers.Flatten()(inputs)  # (B, ...) -> (B, num_inputs)
        for layer in dense_stack(num_hiddens, activation=activation, dropout=dropout, name="dense"):
            x = layer(x)  # (B, width) -> (B, hidden)
        x = layers.Identity(name="features")(x)  # (B, width): the learned representation
        outputs = layers.Dense(num_outputs, name="head")(x)  # (B, width) -> (B, num_outputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.num_inputs = num_inputs
        self.input_spec = None  # call() checks the size itself, whatever the input's rank

    def call(
        self, inputs: Tensor, training: bool | None = None, mask: Tensor | None = None
    ) -> Tensor:
        self._check_size(inputs.shape)
        inputs = ops.reshape(inputs, (-1, *self.input_shape[1:]))  # (B, ...) -> (B, *input_shape)
        return super().call(inputs, training=training, mask=mask)

    def _check_size(self, shape: Any) -> None:
        """The twin's ValueError unless each example holds ``num_inputs`` values.

        A graph traced for inputs of unknown rank is left to the reshape to check.
        """
        if getattr(shape, "rank", 0) is None:
            return
        shape = tuple(shape)
        if len(shape) < 2 or (None not in shape[1:] and math.prod(shape[1:]) != self.num_inputs):
            raise ValueError(
                f"MLP expects {self.num_inputs} features per example, got input of shape {shape}"
            )
