"""Registry specs of the LeNet twins, at both supported image sizes (28x28 and 8x8)."""

import numpy as np


def _batch(image_size):
    def batch():
        rng = np.random.default_rng(0)
        return rng.random((6, image_size, image_size), dtype=np.float32), np.arange(6) % 3

    return batch


def _torch_spec(family, image_size):
    import torch
    import torch.nn.functional as F

    from dlguide.torch.cnn import LeNet
    from tests.unit.specs import Spec

    def x_of(batch):
        return torch.as_tensor(batch[0])[:, None]  # (B, H, W) -> (B, 1, H, W)

    return Spec(
        family=family,
        framework="torch",
        build=lambda: LeNet(image_size=image_size, num_classes=3, channels=(4, 8), num_hiddens=16),
        batch=_batch(image_size),
        output=lambda m, b: m(x_of(b)),
        output_shape=(6, 3),
        overfit_steps=25,
        loss=lambda m, b: F.cross_entropy(m(x_of(b)), torch.as_tensor(b[1])),
    )


def _keras_spec(family, image_size):
    import keras

    from dlguide.keras.cnn import LeNet
    from tests.unit.specs import Spec

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return Spec(
        family=family,
        framework="keras",
        build=lambda: LeNet(image_size=image_size, num_classes=3, channels=(4, 8), num_hiddens=16),
        batch=_batch(image_size),
        output=lambda m, b: m(b[0][..., None], training=False),  # (B, H, W) -> (B, H, W, 1)
        output_shape=(6, 3),
        overfit_steps=25,
        loss=lambda m, b: loss(b[1], m(b[0][..., None], training=True)),
    )


SPECS = [
    _torch_spec("lenet28", 28),
    _keras_spec("lenet28", 28),
    _torch_spec("lenet8", 8),
    _keras_spec("lenet8", 8),
]
