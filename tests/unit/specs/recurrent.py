"""Registry specs of the recurrent family: a classifier per cell, a forecaster, a character LM."""

import numpy as np

from dlguide.torch.recurrent import extra_bias_parameters

VOCAB, LENGTH = 7, 8


def _sequences():
    rng = np.random.default_rng(0)
    return rng.standard_normal((8, 6, 3)).astype(np.float32), np.arange(8) % 3


def _series():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 10, 1)).astype(np.float32)
    return x, rng.standard_normal((8, 1)).astype(np.float32)


def _characters():
    # Each row is a cyclic run 0, 1, 2, ... from a different start; the target is the next id.
    ids = (np.arange(4)[:, None] + np.arange(LENGTH + 1)[None, :]) % VOCAB
    return ids[:, :-1].astype(np.int64), ids[:, 1:].astype(np.int64)


def _torch(family, build, batch, output_shape, kind, param_difference=0):
    import torch
    import torch.nn.functional as F

    from tests.unit.specs import Spec

    def tensors(b):
        return torch.as_tensor(b[0]), torch.as_tensor(b[1])

    def loss(m, b):
        x, y = tensors(b)
        if kind == "mse":
            return F.mse_loss(m(x), y)
        y_hat = m(x)
        return F.cross_entropy(y_hat.reshape(-1, y_hat.shape[-1]), y.reshape(-1))

    return Spec(
        family=family,
        framework="torch",
        build=build,
        batch=batch,
        output=lambda m, b: m(tensors(b)[0]),
        output_shape=output_shape,
        loss=loss,
        param_difference=param_difference,
    )


def _keras(family, build, batch, output_shape, kind):
    import keras

    from tests.unit.specs import Spec

    if kind == "mse":
        loss_fn = keras.losses.MeanSquaredError()
    else:
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return Spec(
        family=family,
        framework="keras",
        build=build,
        batch=batch,
        output=lambda m, b: m(b[0], training=False),
        output_shape=output_shape,
        loss=lambda m, b: loss_fn(b[1], m(b[0], training=True)),
    )


def _specs():
    from dlguide.keras import recurrent as kr
    from dlguide.torch import recurrent as tr

    specs = []
    for cell in ("rnn", "lstm", "gru"):
        kwargs = dict(num_inputs=3, num_classes=3, num_hiddens=16, cell=cell)
        family = f"seqclf-{cell}"
        difference = extra_bias_parameters(cell, 16, 1)
        specs.append(
            _torch(
                family,
                lambda kw=kwargs: tr.SequenceClassifier(**kw),
                _sequences,
                (8, 3),
                "ce",
                difference,
            )
        )
        specs.append(
            _keras(family, lambda kw=kwargs: kr.SequenceClassifier(**kw), _sequences, (8, 3), "ce")
        )

    forecaster = dict(num_hiddens=16)
    specs.append(
        _torch("forecaster", lambda: tr.Forecaster(**forecaster), _series, (8, 1), "mse", 4 * 16)
    )
    specs.append(_keras("forecaster", lambda: kr.Forecaster(**forecaster), _series, (8, 1), "mse"))

    charlm = dict(vocab_size=VOCAB, embedding_dim=8, num_hiddens=16)
    shape = (4, LENGTH, VOCAB)
    specs.append(
        _torch("charlm", lambda: tr.CharLanguageModel(**charlm), _characters, shape, "ce", 4 * 16)
    )
    specs.append(_keras("charlm", lambda: kr.CharLanguageModel(**charlm), _characters, shape, "ce"))
    return specs


SPECS = _specs()
