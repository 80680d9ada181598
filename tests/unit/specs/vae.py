import numpy as np


def _batch():
    rng = np.random.default_rng(0)
    return ((rng.random((8, 64)) < 0.5).astype(np.float32),)


def _torch_specs():
    import torch

    from dlguide.torch.vae import VAE, elbo_loss
    from tests.unit.specs import Spec

    def loss(m, b):
        x = torch.as_tensor(b[0])
        return elbo_loss(x, *m(x))[0]

    return Spec(
        family="vae",
        framework="torch",
        build=lambda: VAE(num_inputs=64, num_hiddens=(32,), latent_dim=2),
        batch=_batch,
        output=lambda m, b: m.decode(
            m.encode(torch.as_tensor(b[0]))[0]
        ),  # the mean path: deterministic
        output_shape=(8, 64),
        loss=loss,
        overfit_steps=100,
    )


def _keras_specs():
    from dlguide.keras.vae import VAE, elbo_loss
    from tests.unit.specs import Spec

    return Spec(
        family="vae",
        framework="keras",
        build=lambda: VAE(num_inputs=64, num_hiddens=(32,), latent_dim=2),
        batch=_batch,
        output=lambda m, b: m.decode(m.encode(b[0])[0]),
        output_shape=(8, 64),
        loss=lambda m, b: elbo_loss(b[0], *m(b[0], training=True))[0],
        overfit_steps=100,
    )


SPECS = [_torch_specs(), _keras_specs()]
