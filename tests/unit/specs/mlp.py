import numpy as np


def _batch():
    rng = np.random.default_rng(0)
    return rng.random((8, 8, 8), dtype=np.float32), np.arange(8) % 3


def _torch_specs():
    import torch.nn.functional as F

    from dlguide.torch import MLP
    from tests.unit.specs import Spec

    def to_t(batch):
        import torch

        return torch.as_tensor(batch[0]), torch.as_tensor(batch[1])

    return Spec(
        family="mlp",
        framework="torch",
        build=lambda: MLP(num_inputs=64, num_outputs=3, num_hiddens=(16, 8)),
        batch=_batch,
        output=lambda m, b: m(to_t(b)[0]),
        output_shape=(8, 3),
        loss=lambda m, b: F.cross_entropy(m(to_t(b)[0]), to_t(b)[1]),
    )


def _keras_specs():
    import keras

    from dlguide.keras import MLP
    from tests.unit.specs import Spec

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return Spec(
        family="mlp",
        framework="keras",
        build=lambda: MLP(num_inputs=64, num_outputs=3, num_hiddens=(16, 8)),  # flattens (8, 8)
        batch=_batch,
        output=lambda m, b: m(b[0], training=False),
        output_shape=(8, 3),
        loss=lambda m, b: loss(b[1], m(b[0], training=True)),
    )


SPECS = [_torch_specs(), _keras_specs()]
