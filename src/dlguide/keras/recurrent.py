"""Recurrent networks, the Keras twin of :mod:`dlguide.torch.recurrent`.

- RNN: Elman (1990), "Finding structure in time", Cognitive Science 14(2):179-211,
  https://doi.org/10.1207/s15516709cog1402_1.
- LSTM: Hochreiter & Schmidhuber (1997), "Long short-term memory", Neural Computation
  9(8):1735-1780, https://doi.org/10.1162/neco.1997.9.8.1735.
- GRU: Cho et al. (2014), "Learning phrase representations using RNN encoder-decoder for
  statistical machine translation", EMNLP, https://doi.org/10.3115/v1/D14-1179. Cho et al.,
  PyTorch and Keras all keep the old state with the update gate's weight:
  ``h_t = z * h_{t-1} + (1 - z) * n_t`` (Chung et al. 2014 swap ``z`` and ``1 - z``).

Every model takes ``cell="rnn" | "lstm" | "gru"`` (Keras' ``SimpleRNN``, ``LSTM``, ``GRU``).
:class:`SequenceClassifier`, :class:`Forecaster` and :class:`CharLanguageModel` are functional
models with the same names, arguments and parts as their PyTorch twins; :func:`generate` samples
text from a character model.

**Parameter counts differ from the PyTorch twins.** A Keras layer with ``I`` inputs and ``H``
hidden units has ``g * (I*H + H*H + H)`` parameters for ``SimpleRNN`` (``g`` = 1) and ``LSTM``
(``g`` = 4): one bias per gate, where PyTorch keeps two (``b_ih`` and ``b_hh``), so each Keras
layer has ``H`` (RNN) or ``4*H`` (LSTM) parameters fewer. ``GRU`` is built with
``reset_after=True`` (the Keras 3 default): it keeps an input bias and a recurrent bias, shape
``(2, 3*H)``, and applies the reset gate after the recurrent matrix product, which is exactly
PyTorch's GRU, so the GRU twins have equal counts. (Keras orders the gates z, r, h inside the
weight matrices; PyTorch r, z, n.)
"""

from __future__ import annotations

from typing import Any

import keras
from keras import layers

from dlguide._checks import check_choice, check_positive_int
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor
from dlguide.keras.sampling import generate

CELLS = ("rnn", "lstm", "gru")
GATES = {"rnn": 1, "lstm": 4, "gru": 3}

__all__ = ["CELLS", "CharLanguageModel", "Forecaster", "SequenceClassifier", "generate"]


def extra_bias_parameters(cell: str, num_hiddens: int, num_layers: int) -> int:
    """Parameters the PyTorch twin's recurrent stack has beyond this one (its second biases).

    Args:
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
        num_hiddens: Hidden units per layer.
        num_layers: Stacked layers.

    Returns:
        ``num_layers * num_hiddens`` for ``"rnn"``, ``4 * num_layers * num_hiddens`` for
        ``"lstm"`` and 0 for ``"gru"`` (``reset_after=True`` keeps both biases).

    Example:
        >>> extra_bias_parameters("lstm", 64, 1)
        256
    """
    check_choice("cell", cell, CELLS)
    check_positive_int("num_hiddens", num_hiddens)
    check_positive_int("num_layers", num_layers)
    return 0 if cell == "gru" else GATES[cell] * num_hiddens * num_layers


def recurrent_layer(
    cell: str, num_hiddens: int, *, return_sequences: bool, name: str
) -> layers.RNN:
    """One Keras recurrent layer of the given cell type (GRU with ``reset_after=True``)."""
    if cell == "rnn":
        return layers.SimpleRNN(num_hiddens, return_sequences=return_sequences, name=name)
    if cell == "lstm":
        return layers.LSTM(num_hiddens, return_sequences=return_sequences, name=name)
    return layers.GRU(num_hiddens, return_sequences=return_sequences, reset_after=True, name=name)


# --- blocks ---------------------------------------------------------------------------------


def last_hidden_state(x: Tensor, *, num_hiddens: int, num_layers: int, cell: str) -> Tensor:
    """Apply a stack of recurrent layers; return the top layer's state after the last step."""
    for i in range(num_layers):
        last = i == num_layers - 1
        # (B, T, width) -> (B, T, num_hiddens), or (B, num_hiddens) for the top layer
        x = recurrent_layer(cell, num_hiddens, return_sequences=not last, name=f"{cell}_{i}")(x)
    return x


# --- models ---------------------------------------------------------------------------------


class _LastStateModel(ConstructorConfig, keras.Model):
    """A recurrent stack read after the last step, then a dense head: the body of two models.

    The layer named ``"features"`` holds the top layer's last hidden state, ``(B, num_hiddens)``;
    the layer named ``"head"`` maps it to ``num_outputs`` values. :class:`SequenceClassifier` and
    :class:`Forecaster` differ only in their names and defaults.
    """

    def __init__(
        self,
        *,
        num_inputs: int,
        num_outputs: int,
        num_hiddens: int,
        num_layers: int,
        cell: str,
        **kwargs: Any,
    ) -> None:
        num_inputs = check_positive_int("num_inputs", num_inputs)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        num_layers = check_positive_int("num_layers", num_layers)
        check_choice("cell", cell, CELLS)

        inputs = keras.Input(shape=(None, num_inputs))  # (B, T, num_inputs)
        x = last_hidden_state(inputs, num_hiddens=num_hiddens, num_layers=num_layers, cell=cell)
        x = layers.Identity(name="features")(x)  # (B, num_hiddens)
        outputs = layers.Dense(num_outputs, name="head")(x)  # (B, num_hiddens) -> (B, num_outputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.cell = cell


@keras.saving.register_keras_serializable(package="dlguide")
class SequenceClassifier(_LastStateModel):
    """Classify a whole sequence from the hidden state after its last step.

    The layer named ``"features"`` holds the last hidden state of the top layer,
    ``(B, num_hiddens)``; the layer named ``"head"`` gives the class logits. With the defaults
    the PyTorch twin has 64 (rnn) or 256 (lstm) parameters more and the same count for gru; in
    general :func:`extra_bias_parameters` more.

    Args:
        num_inputs: Features per time step.
        num_classes: Number of classes (the logits' width).
        num_hiddens: Hidden units per recurrent layer.
        num_layers: Stacked recurrent layers.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import numpy as np
        >>> model = SequenceClassifier(num_inputs=8, num_classes=10, cell="gru")
        >>> model(np.zeros((4, 8, 8))).shape
        TensorShape([4, 10])
    """

    def __init__(
        self,
        *,
        num_inputs: int,
        num_classes: int,
        num_hiddens: int = 64,
        num_layers: int = 1,
        cell: str = "lstm",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            num_inputs=num_inputs,
            num_outputs=check_positive_int("num_classes", num_classes),
            num_hiddens=num_hiddens,
            num_layers=num_layers,
            cell=cell,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="dlguide")
class Forecaster(_LastStateModel):
    """Predict the next value of a time series from a window of past values.

    The same architecture as :class:`SequenceClassifier` with a regression head (layers
    ``"features"`` and ``"head"``). With the defaults the LSTM has 4,385 parameters (its PyTorch
    twin 128 more), the RNN 1,121 (32 fewer than PyTorch), the GRU 3,393 (equal).

    Args:
        num_inputs: Features per time step (1 for a univariate series).
        num_outputs: Values predicted for the next step.
        num_hiddens: Hidden units per recurrent layer.
        num_layers: Stacked recurrent layers.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Note:
        Keras checks the input shape (a ``ValueError`` for a wrong feature axis) except that it
        relaxes the check of a last axis of size 1: with ``num_inputs=1`` it accepts ``(B, T)``
        windows (adding the axis), and a ``(B, T, k)`` input reaches the recurrent layer and
        fails there with TensorFlow's ``InvalidArgumentError``. The PyTorch twin raises
        ``ValueError`` for both.

    Example:
        >>> import numpy as np
        >>> model = Forecaster()
        >>> model(np.zeros((4, 24, 1))).shape
        TensorShape([4, 1])
    """

    def __init__(
        self,
        *,
        num_inputs: int = 1,
        num_outputs: int = 1,
        num_hiddens: int = 32,
        num_layers: int = 1,
        cell: str = "lstm",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            num_inputs=num_inputs,
            num_outputs=check_positive_int("num_outputs", num_outputs),
            num_hiddens=num_hiddens,
            num_layers=num_layers,
            cell=cell,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="dlguide")
class CharLanguageModel(ConstructorConfig, keras.Model):
    """Predict the next character at every position: ``Embedding -> RNN -> Dense``.

    Input ``(B, T)`` int character ids, output ``(B, T, vocab_size)`` logits; position ``t`` has
    read characters ``0..t`` only. Train with cross-entropy (from logits) against the input
    shifted by one (:func:`dlguide.data.make_char_dataset`), then sample with :func:`generate`.
    The PyTorch twin has :func:`extra_bias_parameters` more (512 for the default LSTM).

    Args:
        vocab_size: Number of distinct characters.
        embedding_dim: Width of each character's learned vector.
        num_hiddens: Hidden units per recurrent layer.
        num_layers: Stacked recurrent layers.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import numpy as np
        >>> model = CharLanguageModel(vocab_size=40)
        >>> model(np.zeros((2, 16), dtype="int32")).shape
        TensorShape([2, 16, 40])
    """

    def __init__(
        self,
        *,
        vocab_size: int,
        embedding_dim: int = 32,
        num_hiddens: int = 128,
        num_layers: int = 1,
        cell: str = "lstm",
        **kwargs: Any,
    ) -> None:
        vocab_size = check_positive_int("vocab_size", vocab_size)
        embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        num_layers = check_positive_int("num_layers", num_layers)
        check_choice("cell", cell, CELLS)

        inputs = keras.Input(shape=(None,), dtype="int32")  # (B, T)
        x = layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)  # -> (B, T, E)
        for i in range(num_layers):
            # (B, T, width) -> (B, T, num_hiddens)
            x = recurrent_layer(cell, num_hiddens, return_sequences=True, name=f"{cell}_{i}")(x)
        outputs = layers.Dense(vocab_size, name="head")(x)  # (B, T, H) -> (B, T, vocab_size)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.vocab_size = vocab_size
        self.cell = cell
