import numpy as np


def _batch():
    rng = np.random.default_rng(0)
    observations = rng.normal(size=(8, 4)).astype(np.float32)
    actions = np.arange(8) % 2
    returns = np.linspace(0.5, 2.0, 8).astype(np.float32)  # positive: REINFORCE acts as weighted CE
    q_targets = rng.normal(size=(8, 2)).astype(np.float32)
    return observations, actions, returns, q_targets


def _torch_specs():
    import torch
    import torch.nn.functional as F

    from dlguide.torch.rl import PolicyNetwork, QNetwork, reinforce_loss
    from tests.unit.specs import Spec

    def t(a):
        return torch.as_tensor(a)

    return [
        Spec(
            family="policy",
            framework="torch",
            build=lambda: PolicyNetwork(num_observations=4, num_actions=2, num_hiddens=(16,)),
            batch=_batch,
            output=lambda m, b: m(t(b[0])),
            output_shape=(8, 2),
            loss=lambda m, b: reinforce_loss(m(t(b[0])), t(b[1]), t(b[2])),
        ),
        Spec(
            family="qnet",
            framework="torch",
            build=lambda: QNetwork(num_observations=4, num_actions=2, num_hiddens=(16, 16)),
            batch=_batch,
            output=lambda m, b: m(t(b[0])),
            output_shape=(8, 2),
            loss=lambda m, b: F.mse_loss(m(t(b[0])), t(b[3])),
        ),
    ]


def _keras_specs():
    import keras

    from dlguide.keras.rl import PolicyNetwork, QNetwork, reinforce_loss
    from tests.unit.specs import Spec

    mse = keras.losses.MeanSquaredError()
    return [
        Spec(
            family="policy",
            framework="keras",
            build=lambda: PolicyNetwork(num_observations=4, num_actions=2, num_hiddens=(16,)),
            batch=_batch,
            output=lambda m, b: m(b[0], training=False),
            output_shape=(8, 2),
            loss=lambda m, b: reinforce_loss(m(b[0], training=True), b[1], b[2]),
        ),
        Spec(
            family="qnet",
            framework="keras",
            build=lambda: QNetwork(num_observations=4, num_actions=2, num_hiddens=(16, 16)),
            batch=_batch,
            output=lambda m, b: m(b[0], training=False),
            output_shape=(8, 2),
            loss=lambda m, b: mse(b[3], m(b[0], training=True)),
        ),
    ]


SPECS = [*_torch_specs(), *_keras_specs()]
