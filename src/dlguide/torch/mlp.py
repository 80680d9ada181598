"""A multilayer perceptron: the feedforward network every other family builds on.

Stacks of fully connected layers with a nonlinearity between them go back to Rosenblatt's
perceptron (1958) and were made trainable by backpropagation (Rumelhart, Hinton & Williams, 1986,
"Learning representations by back-propagating errors", Nature 323:533-536,
https://doi.org/10.1038/323533a0). Dropout is from Srivastava et al. (2014),
https://jmlr.org/papers/v15/srivastava14a.html.

Like every classifier in dlguide, :class:`MLP` has two parts: ``features`` (everything up to the
last hidden layer) and ``head`` (the final linear layer), so ``model.features(x)`` gives the
learned representation and replacing ``model.head`` adapts the model to a new task. Its hidden
layers come from ``dense_stack``, which the autoencoders and the VAE use too.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import check_choice, check_int_sequence, check_positive_int, check_probability

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}


def dense_stack(
    widths: Sequence[int], *, activation: str = "relu", dropout: float = 0.0
) -> list[nn.Module]:
    """Fully connected layers ``[Linear -> activation -> Dropout]`` from each width to the next.

    Args:
        widths: The input's width, then each layer's: ``(num_inputs, *num_hiddens)``; a single
            width gives no layer.
        activation: A key of ``ACTIVATIONS``.
        dropout: Probability of zeroing a unit after each activation; 0 adds no ``Dropout``.

    Returns:
        The modules in order, to unpack into ``nn.Sequential``; they map ``(B, widths[0])`` to
        ``(B, widths[-1])``.

    Example:
        >>> from torch import nn
        >>> nn.Sequential(*dense_stack((4, 8)))
        Sequential(
          (0): Linear(in_features=4, out_features=8, bias=True)
          (1): ReLU()
        )
    """
    layers: list[nn.Module] = []
    for width, hidden in itertools.pairwise(widths):  # (B, width) -> (B, hidden)
        layers += [nn.Linear(width, hidden), ACTIVATIONS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    return layers


class MLP(nn.Module):
    """A feedforward network: ``Flatten -> [Linear -> activation -> Dropout] * L -> Linear``.

    Args:
        num_inputs: Features per example after flattening (64 for 8x8 digits).
        num_outputs: Outputs: classes for a classifier (logits), 1 or more for a regressor.
        num_hiddens: Width of each hidden layer; ``()`` gives a linear model.
        activation: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"gelu"``.
        dropout: Probability of zeroing a hidden unit during training, in ``[0, 1)``.

    Example:
        >>> import torch
        >>> from dlguide.torch import MLP
        >>> model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(32,))
        >>> model(torch.zeros(5, 8, 8)).shape
        torch.Size([5, 10])
    """

    def __init__(
        self,
        *,
        num_inputs: int,
        num_outputs: int,
        num_hiddens: Sequence[int] = (128, 64),
        activation: str = "relu",
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.num_inputs = check_positive_int("num_inputs", num_inputs)
        num_outputs = check_positive_int("num_outputs", num_outputs)
        num_hiddens = check_int_sequence("num_hiddens", num_hiddens, minimum=1)
        check_choice("activation", activation, ACTIVATIONS)
        dropout = check_probability("dropout", dropout)

        widths = (self.num_inputs, *num_hiddens)
        self.features = nn.Sequential(
            nn.Flatten(),  # (B, ...) -> (B, num_inputs)
            *dense_stack(widths, activation=activation, dropout=dropout),
        )  # (B, num_inputs) -> (B, widths[-1])
        self.head = nn.Linear(widths[-1], num_outputs)  # (B, widths[-1]) -> (B, num_outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[0] and x[0].numel() != self.num_inputs:
            raise ValueError(
                f"MLP expects {self.num_inputs} features per example, "
                f"got input of shape {tuple(x.shape)}"
            )
        return self.head(self.features(x))
