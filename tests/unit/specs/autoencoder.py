import numpy as np


def _flat_batch():
    rng = np.random.default_rng(0)
    return (rng.random((8, 8, 8), dtype=np.float32),)


def _image_batch():  # channels-first; the Keras specs move the channels last
    rng = np.random.default_rng(0)
    return (rng.random((4, 1, 8, 8), dtype=np.float32),)


def _torch_specs():
    import torch
    import torch.nn.functional as F

    from dlguide.torch.autoencoder import ConvAutoencoder, DenseAutoencoder
    from tests.unit.specs import Spec

    def mse(m, b):
        x = torch.as_tensor(b[0])
        return F.mse_loss(m(x), x.reshape(m(x).shape))

    return [
        Spec(
            family="dense_autoencoder",
            framework="torch",
            build=lambda: DenseAutoencoder(num_inputs=64, num_hiddens=(16,), latent_dim=4),
            batch=_flat_batch,
            output=lambda m, b: m(torch.as_tensor(b[0])),
            output_shape=(8, 64),
            loss=mse,
        ),
        Spec(
            family="conv_autoencoder",
            framework="torch",
            build=lambda: ConvAutoencoder(
                in_channels=1, image_size=8, channels=(4, 8), latent_dim=4
            ),
            batch=_image_batch,
            output=lambda m, b: m(torch.as_tensor(b[0])),
            output_shape=(4, 1, 8, 8),
            loss=mse,
            overfit_steps=100,
            lr=2e-2,
        ),
    ]


def _keras_specs():
    import keras

    from dlguide.keras.autoencoder import ConvAutoencoder, DenseAutoencoder
    from tests.unit.specs import Spec

    def mse(m, x):
        return keras.ops.mean(
            keras.ops.square(m(x, training=True) - keras.ops.reshape(x, (len(x), -1)))
        )

    def channels_last():
        return (_image_batch()[0].transpose(0, 2, 3, 1),)

    return [
        Spec(
            family="dense_autoencoder",
            framework="keras",
            build=lambda: DenseAutoencoder(
                num_inputs=64, num_hiddens=(16,), latent_dim=4, input_shape=(8, 8)
            ),
            batch=_flat_batch,
            output=lambda m, b: m(b[0], training=False),
            output_shape=(8, 64),
            loss=lambda m, b: mse(m, b[0]),
        ),
        Spec(
            family="conv_autoencoder",
            framework="keras",
            build=lambda: ConvAutoencoder(
                in_channels=1, image_size=8, channels=(4, 8), latent_dim=4
            ),
            batch=channels_last,
            output=lambda m, b: m(b[0], training=False),
            output_shape=(4, 8, 8, 1),
            loss=lambda m, b: keras.ops.mean(keras.ops.square(m(b[0], training=True) - b[0])),
            overfit_steps=100,
            lr=2e-2,
        ),
    ]


SPECS = [*_torch_specs(), *_keras_specs()]
