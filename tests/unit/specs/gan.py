import numpy as np


def _points():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((8, 2)).astype(np.float32)
    target = rng.standard_normal((8, 2)).astype(np.float32)
    labels = (np.arange(8) % 2).astype(np.float32)[:, None]
    return z, target, labels


def _images():  # channels-first; the Keras specs move the channels last
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4, 8)).astype(np.float32)
    images = rng.uniform(-1, 1, (4, 1, 28, 28)).astype(np.float32)
    labels = (np.arange(4) % 2).astype(np.float32)[:, None]
    return z, images, labels


def _torch_specs():
    import torch
    import torch.nn.functional as F

    from dlguide.torch.gan import DCGANDiscriminator, DCGANGenerator, Discriminator2D, Generator2D
    from tests.unit.specs import Spec

    def t(b, i):
        return torch.as_tensor(b[i])

    return [
        Spec(
            family="generator2d",
            framework="torch",
            build=lambda: Generator2D(latent_dim=2, num_hiddens=16),
            batch=_points,
            output=lambda m, b: m(t(b, 0)),
            output_shape=(8, 2),
            loss=lambda m, b: F.mse_loss(m(t(b, 0)), t(b, 1)),
        ),
        Spec(
            family="discriminator2d",
            framework="torch",
            build=lambda: Discriminator2D(num_hiddens=16),
            batch=_points,
            output=lambda m, b: m(t(b, 1)),
            output_shape=(8, 1),
            loss=lambda m, b: F.binary_cross_entropy_with_logits(m(t(b, 1)), t(b, 2)),
        ),
        Spec(
            family="dcgan_generator",
            framework="torch",
            build=lambda: DCGANGenerator(latent_dim=8, channels=(8, 4)),
            batch=_images,
            output=lambda m, b: m(t(b, 0)),
            output_shape=(4, 1, 28, 28),
            loss=lambda m, b: F.mse_loss(m(t(b, 0)), t(b, 1)),
        ),
        Spec(
            family="dcgan_discriminator",
            framework="torch",
            build=lambda: DCGANDiscriminator(channels=(4, 8)),
            batch=_images,
            output=lambda m, b: m(t(b, 1)),
            output_shape=(4, 1),
            loss=lambda m, b: F.binary_cross_entropy_with_logits(m(t(b, 1)), t(b, 2)),
        ),
    ]


def _keras_specs():
    import keras

    from dlguide.keras.gan import DCGANDiscriminator, DCGANGenerator, Discriminator2D, Generator2D
    from tests.unit.specs import Spec

    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    def mse(a, b):
        return keras.ops.mean(keras.ops.square(a - b))

    def images():
        z, x, labels = _images()
        return z, x.transpose(0, 2, 3, 1), labels

    return [
        Spec(
            family="generator2d",
            framework="keras",
            build=lambda: Generator2D(latent_dim=2, num_hiddens=16),
            batch=_points,
            output=lambda m, b: m(b[0], training=False),
            output_shape=(8, 2),
            loss=lambda m, b: mse(m(b[0], training=True), b[1]),
        ),
        Spec(
            family="discriminator2d",
            framework="keras",
            build=lambda: Discriminator2D(num_hiddens=16),
            batch=_points,
            output=lambda m, b: m(b[1], training=False),
            output_shape=(8, 1),
            loss=lambda m, b: bce(b[2], m(b[1], training=True)),
        ),
        Spec(
            family="dcgan_generator",
            framework="keras",
            build=lambda: DCGANGenerator(latent_dim=8, channels=(8, 4)),
            batch=images,
            output=lambda m, b: m(b[0], training=False),
            output_shape=(4, 28, 28, 1),
            loss=lambda m, b: mse(m(b[0], training=True), b[1]),
        ),
        Spec(
            family="dcgan_discriminator",
            framework="keras",
            build=lambda: DCGANDiscriminator(channels=(4, 8)),
            batch=images,
            output=lambda m, b: m(b[1], training=False),
            output_shape=(4, 1),
            loss=lambda m, b: bce(b[2], m(b[1], training=True)),
        ),
    ]


SPECS = [*_torch_specs(), *_keras_specs()]
