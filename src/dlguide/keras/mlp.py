"""A multilayer perceptron, the Keras twin of :mod:`dlguide.torch.mlp`.

Rumelhart, Hinton & Williams (1986), "Learning representations by back-propagating errors",
Nature 323:533-536, https://doi.org/10.1038/323533a0; dropout: Srivastava et al. (2014),
https://jmlr.org/papers/v15/srivastava14a.html.

The model is a functional Keras model (inputs -> outputs built once in ``__init__``) wrapped in a
class so it has the same name, arguments and parts as its PyTorch twin: the layer named
``"features"`` ends the representation and the layer named ``"head"`` is the classifier.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from dlguide._checks import check_choice, check_int_sequence, check_positive_int, check_probability

ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu")


@keras.saving.register_keras_serializable(package="dlguide")
class MLP(keras.Model):
    """A feedforward network: ``Flatten -> [Dense -> activation -> Dropout] * L -> Dense``.

    Args:
        num_inputs: Features per example after flattening (64 for 8x8 digits).
        num_outputs: Outputs: classes for a classifier (logits), 1 or more for a regressor.
        num_hiddens: Width of each hidden layer; ``()`` gives a linear model.
        activation: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"gelu"``.
        dropout: Probability of zeroing a hidden unit during training, in ``[0, 1)``.
        input_shape: Shape of one example before flattening; default ``(num_inputs,)``.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import MLP
        >>> model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(32,), input_shape=(8, 8))
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
        **kwargs,
    ) -> None:
        num_inputs = check_positive_int("num_inputs", num_inputs)
        num_outputs = check_positive_int("num_outputs", num_outputs)
        num_hiddens = check_int_sequence("num_hiddens", num_hiddens, minimum=1)
        check_choice("activation", activation, ACTIVATIONS)
        dropout = check_probability("dropout", dropout)
        input_shape = check_int_sequence("input_shape", input_shape or (num_inputs,))
        size = 1
        for dim in input_shape:
            size *= dim
        if size != num_inputs:
            raise ValueError(
                f"input_shape {input_shape} holds {size} values, not num_inputs={num_inputs}"
            )

        inputs = keras.Input(shape=input_shape)
        x = layers.Flatten()(inputs)  # (B, ...) -> (B, num_inputs)
        for i, hidden in enumerate(num_hiddens):
            x = layers.Dense(hidden, activation=activation, name=f"dense_{i}")(x)
            if dropout > 0:
                x = layers.Dropout(dropout)(x)
        x = layers.Identity(name="features")(x)  # (B, width): the learned representation
        outputs = layers.Dense(num_outputs, name="head")(x)  # (B, width) -> (B, num_outputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        self._config = {
            "num_inputs": num_inputs,
            "num_outputs": num_outputs,
            "num_hiddens": list(num_hiddens),
            "activation": activation,
            "dropout": dropout,
            "input_shape": list(input_shape),
        }

    def get_config(self) -> dict:
        return {**self._config, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> MLP:
        return cls(**config)
