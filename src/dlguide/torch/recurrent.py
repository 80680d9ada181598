"""Recurrent networks: one interface over the Elman RNN, the LSTM and the GRU.

A recurrent layer reads a sequence one step at a time and carries a hidden state forward, so the
same weights serve every position and the state summarises everything read so far.

- RNN: Elman (1990), "Finding structure in time", Cognitive Science 14(2):179-211,
  https://doi.org/10.1207/s15516709cog1402_1.
- LSTM: Hochreiter & Schmidhuber (1997), "Long short-term memory", Neural Computation
  9(8):1735-1780, https://doi.org/10.1162/neco.1997.9.8.1735.
- GRU: Cho et al. (2014), "Learning phrase representations using RNN encoder-decoder for
  statistical machine translation", EMNLP, https://doi.org/10.3115/v1/D14-1179. Cho et al.,
  PyTorch and Keras all keep the old state with the update gate's weight:
  ``h_t = z * h_{t-1} + (1 - z) * n_t`` (Chung et al. 2014 swap ``z`` and ``1 - z``).

Every model takes ``cell="rnn" | "lstm" | "gru"``. Three models cover the three usual tasks:
:class:`SequenceClassifier` (a label per sequence), :class:`Forecaster` (the next value of a time
series) and :class:`CharLanguageModel` (the next character at every position), with
:func:`generate` to sample text from the last one.

**Parameter counts differ from the Keras twins.** PyTorch keeps two bias vectors per gate
(``b_ih`` and ``b_hh``), so a layer with ``I`` inputs and ``H`` hidden units has
``g * (H*I + H*H + 2*H)`` parameters, with ``g`` = 1 (RNN), 4 (LSTM), 3 (GRU). Keras'
``SimpleRNN`` and ``LSTM`` keep one bias per gate, so each PyTorch layer has ``H`` (RNN) or
``4*H`` (LSTM) parameters more. Keras' ``GRU`` with ``reset_after=True`` keeps two biases, like
PyTorch, and applies the reset gate after the recurrent matrix product, as PyTorch's GRU does
(``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``), so the GRU twins have equal counts. (The two
frameworks order the gates differently inside the weight matrices: PyTorch r, z, n; Keras z, r, h.)
"""

from __future__ import annotations

import torch
from torch import nn

from dlguide._checks import check_choice, check_positive_int
from dlguide.torch.sampling import generate

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
GATES = {"rnn": 1, "lstm": 4, "gru": 3}

__all__ = ["CELLS", "CharLanguageModel", "Forecaster", "SequenceClassifier", "generate"]


def extra_bias_parameters(cell: str, num_hiddens: int, num_layers: int) -> int:
    """Parameters a PyTorch recurrent stack has beyond its Keras twin (its second bias vectors).

    Args:
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
        num_hiddens: Hidden units per layer.
        num_layers: Stacked layers.

    Returns:
        ``num_layers * num_hiddens`` for ``"rnn"``, ``4 * num_layers * num_hiddens`` for
        ``"lstm"`` and 0 for ``"gru"`` (Keras' GRU with ``reset_after=True`` has both biases).

    Example:
        >>> extra_bias_parameters("lstm", 64, 1)
        256
    """
    check_choice("cell", cell, CELLS)
    check_positive_int("num_hiddens", num_hiddens)
    check_positive_int("num_layers", num_layers)
    return 0 if cell == "gru" else GATES[cell] * num_hiddens * num_layers


def _check_sequence(name: str, x: torch.Tensor, num_inputs: int) -> None:
    if x.ndim != 3 or x.shape[-1] != num_inputs:
        raise ValueError(
            f"{name} expects input of shape (B, T, {num_inputs}), got {tuple(x.shape)}"
        )


# --- blocks ---------------------------------------------------------------------------------


class LastHiddenState(nn.Module):
    """A stack of recurrent layers that returns the top layer's hidden state after the last step.

    Args:
        num_inputs: Features per time step.
        num_hiddens: Hidden units per layer.
        num_layers: Stacked layers, each reading the hidden states of the one below.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
    """

    def __init__(self, *, num_inputs: int, num_hiddens: int, num_layers: int, cell: str) -> None:
        super().__init__()
        self.rnn = CELLS[cell](num_inputs, num_hiddens, num_layers=num_layers, batch_first=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs, _ = self.rnn(x)  # (B, T, num_inputs) -> (B, T, num_hiddens)
        return outputs[:, -1]  # (B, T, num_hiddens) -> (B, num_hiddens)


# --- models ---------------------------------------------------------------------------------


class _LastStateModel(nn.Module):
    """A recurrent stack read after the last step, then a linear head: the body of two models.

    ``features`` runs the stack and returns the top layer's last hidden state,
    ``(B, num_hiddens)``; ``head`` maps it to ``num_outputs`` values. :class:`SequenceClassifier`
    and :class:`Forecaster` differ only in their names and defaults.
    """

    def __init__(
        self, *, num_inputs: int, num_outputs: int, num_hiddens: int, num_layers: int, cell: str
    ) -> None:
        super().__init__()
        self.num_inputs = check_positive_int("num_inputs", num_inputs)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        num_layers = check_positive_int("num_layers", num_layers)
        self.cell = check_choice("cell", cell, CELLS)
        self.features = LastHiddenState(
            num_inputs=self.num_inputs, num_hiddens=num_hiddens, num_layers=num_layers, cell=cell
        )  # (B, T, num_inputs) -> (B, num_hiddens)
        self.head = nn.Linear(num_hiddens, num_outputs)  # (B, num_hiddens) -> (B, num_outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_sequence(type(self).__name__, x, self.num_inputs)
        return self.head(self.features(x))


class SequenceClassifier(_LastStateModel):
    """Classify a whole sequence from the hidden state after its last step.

    ``features`` runs the recurrent stack and returns the last hidden state of the top layer,
    ``(B, num_hiddens)``; ``head`` is a linear layer to the class logits.

    With the defaults and ``num_inputs=I``, ``num_classes=K`` there are
    ``g*(64*I + 64*64 + 2*64) + 64*K + K`` parameters (``g`` = 1, 4, 3 for rnn, lstm, gru), which
    is 64 (rnn) or 256 (lstm) more than the Keras twin and equal for gru; in general
    :func:`extra_bias_parameters` more.

    Args:
        num_inputs: Features per time step.
        num_classes: Number of classes (the logits' width).
        num_hiddens: Hidden units per recurrent layer.
        num_layers: Stacked recurrent layers.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import torch
        >>> model = SequenceClassifier(num_inputs=8, num_classes=10, cell="gru")
        >>> model(torch.zeros(4, 8, 8)).shape
        torch.Size([4, 10])
    """

    def __init__(
        self,
        *,
        num_inputs: int,
        num_classes: int,
        num_hiddens: int = 64,
        num_layers: int = 1,
        cell: str = "lstm",
    ) -> None:
        super().__init__(
            num_inputs=num_inputs,
            num_outputs=check_positive_int("num_classes", num_classes),
            num_hiddens=num_hiddens,
            num_layers=num_layers,
            cell=cell,
        )


class Forecaster(_LastStateModel):
    """Predict the next value of a time series from a window of past values.

    The same architecture as :class:`SequenceClassifier` with a regression head: ``features``
    gives the last hidden state, ``head`` maps it to ``num_outputs`` values. With the defaults
    (one input, 32 hidden units, one output) the LSTM has 4,513 parameters, 128 more than its
    Keras twin; the RNN 1,153 (32 more); the GRU 3,393 (equal).

    Args:
        num_inputs: Features per time step (1 for a univariate series).
        num_outputs: Values predicted for the next step.
        num_hiddens: Hidden units per recurrent layer.
        num_layers: Stacked recurrent layers.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import torch
        >>> model = Forecaster()
        >>> model(torch.zeros(4, 24, 1)).shape
        torch.Size([4, 1])
    """

    def __init__(
        self,
        *,
        num_inputs: int = 1,
        num_outputs: int = 1,
        num_hiddens: int = 32,
        num_layers: int = 1,
        cell: str = "lstm",
    ) -> None:
        super().__init__(
            num_inputs=num_inputs,
            num_outputs=check_positive_int("num_outputs", num_outputs),
            num_hiddens=num_hiddens,
            num_layers=num_layers,
            cell=cell,
        )


class CharLanguageModel(nn.Module):
    """Predict the next character at every position: ``Embedding -> RNN -> Linear``.

    Input ``(B, T)`` int64 character ids, output ``(B, T, vocab_size)`` logits; position ``t``
    has read characters ``0..t`` only, because the recurrence runs forward in time. Train with
    cross-entropy against the input shifted by one (:func:`dlguide.data.make_char_dataset`),
    then sample with :func:`generate`. Extra parameters over the Keras twin:
    :func:`extra_bias_parameters` (512 for the default LSTM, 128 for an RNN, 0 for a GRU).

    Args:
        vocab_size: Number of distinct characters.
        embedding_dim: Width of each character's learned vector.
        num_hiddens: Hidden units per recurrent layer.
        num_layers: Stacked recurrent layers.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import torch
        >>> model = CharLanguageModel(vocab_size=40)
        >>> model(torch.zeros(2, 16, dtype=torch.int64)).shape
        torch.Size([2, 16, 40])
    """

    def __init__(
        self,
        *,
        vocab_size: int,
        embedding_dim: int = 32,
        num_hiddens: int = 128,
        num_layers: int = 1,
        cell: str = "lstm",
    ) -> None:
        super().__init__()
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        num_layers = check_positive_int("num_layers", num_layers)
        self.cell = check_choice("cell", cell, CELLS)
        self.embedding = nn.Embedding(self.vocab_size, embedding_dim)
        self.rnn = CELLS[cell](embedding_dim, num_hiddens, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(num_hiddens, self.vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if ids.ndim != 2:
            raise ValueError(
                f"CharLanguageModel expects ids of shape (B, T), got {tuple(ids.shape)}"
            )
        x = self.embedding(ids)  # (B, T) -> (B, T, embedding_dim)
        x, _ = self.rnn(x)  # (B, T, embedding_dim) -> (B, T, num_hiddens)
        return self.head(x)  # (B, T, num_hiddens) -> (B, T, vocab_size)
