"""RBM and DBN specs. The loss is the free-energy surrogate mean(F(v_data)) - mean(F(v_model)),
with v_model a CD-1 sample held fixed: its gradient is the contrastive-divergence update, and it
reaches every parameter. The model samples start from 32 copies of each example so that the
Monte Carlo estimate of mean(F(v_model)) is steady enough for the overfit check. (The CD update
itself is tested in test_rbm.py.) The surrogate starts near 0 (tiny weights), falls while the
model learns to give the data lower free energy than its samples, then climbs back towards 0 as
the samples come to look like the data: 20 steps check the fall."""

import numpy as np

CHAINS = 32


def _batch():
    rng = np.random.default_rng(0)
    return ((rng.random((8, 16)) < 0.3).astype(np.float32),)


def _torch_specs():
    import torch

    from dlguide.torch.rbm import RBM, DeepBeliefNet
    from tests.unit.specs import Spec

    def surrogate(rbm, v):
        with torch.no_grad():
            v_model = rbm.sample_visible(rbm.sample_hidden(v.repeat(CHAINS, 1))[1])[1]
        return rbm.free_energy(v).mean() - rbm.free_energy(v_model).mean()

    def dbn_loss(m, b):
        v, total = torch.as_tensor(b[0]), 0.0
        for rbm in m.rbms:
            total = total + surrogate(rbm, v)
            v = rbm.transform(v).detach()  # greedy: each RBM trains on the features below
        return total

    return [
        Spec(
            family="rbm",
            framework="torch",
            build=lambda: RBM(num_visible=16, num_hidden=8),
            batch=_batch,
            output=lambda m, b: m.transform(torch.as_tensor(b[0])),
            output_shape=(8, 8),
            loss=lambda m, b: surrogate(m, torch.as_tensor(b[0])),
            overfit_steps=20,
        ),
        Spec(
            family="deep_belief_net",
            framework="torch",
            build=lambda: DeepBeliefNet(layer_sizes=(16, 8, 4)),
            batch=_batch,
            output=lambda m, b: m(torch.as_tensor(b[0])),
            output_shape=(8, 4),
            loss=dbn_loss,
            overfit_steps=20,
        ),
    ]


def _keras_specs():
    from keras import ops

    from dlguide.keras.rbm import RBM, DeepBeliefNet
    from tests.unit.specs import Spec

    def surrogate(rbm, v):
        v_model = rbm.sample_visible(rbm.sample_hidden(ops.tile(v, (CHAINS, 1)))[1])[1]
        v_model = ops.stop_gradient(v_model)
        return ops.mean(rbm.free_energy(v)) - ops.mean(rbm.free_energy(v_model))

    def dbn_loss(m, b):
        v, total = b[0], 0.0
        for rbm in m.rbms:
            total = total + surrogate(rbm, v)
            v = ops.stop_gradient(rbm.transform(v))
        return total

    return [
        Spec(
            family="rbm",
            framework="keras",
            build=lambda: RBM(num_visible=16, num_hidden=8),
            batch=_batch,
            output=lambda m, b: m.transform(b[0]),
            output_shape=(8, 8),
            loss=lambda m, b: surrogate(m, b[0]),
            overfit_steps=20,
        ),
        Spec(
            family="deep_belief_net",
            framework="keras",
            build=lambda: DeepBeliefNet(layer_sizes=(16, 8, 4)),
            batch=_batch,
            output=lambda m, b: m(b[0]),
            output_shape=(8, 4),
            loss=dbn_loss,
            overfit_steps=20,
        ),
    ]


SPECS = [*_torch_specs(), *_keras_specs()]
