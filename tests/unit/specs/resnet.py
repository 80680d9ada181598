"""Registry specs of the ResNet twins and their plain (skip=False) twins."""

import numpy as np

ARGS = {"num_classes": 3, "widths": (4, 8), "blocks_per_stage": 1}


def _batch():
    rng = np.random.default_rng(0)
    return rng.random((6, 12, 12), dtype=np.float32), np.arange(6) % 3


def _torch_spec(family, skip):
    import torch
    import torch.nn.functional as F

    from dlguide.torch.resnet import ResNet
    from tests.unit.specs import Spec

    def x_of(batch):
        return torch.as_tensor(batch[0])[:, None]  # (B, H, W) -> (B, 1, H, W)

    return Spec(
        family=family,
        framework="torch",
        build=lambda: ResNet(**ARGS, skip=skip),
        batch=_batch,
        output=lambda m, b: m(x_of(b)),
        output_shape=(6, 3),
        overfit_steps=25,
        loss=lambda m, b: F.cross_entropy(m(x_of(b)), torch.as_tensor(b[1])),
    )


def _keras_spec(family, skip):
    import keras

    from dlguide.keras.resnet import ResNet
    from tests.unit.specs import Spec

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return Spec(
        family=family,
        framework="keras",
        build=lambda: ResNet(**ARGS, skip=skip),
        batch=_batch,
        output=lambda m, b: m(b[0][..., None], training=False),  # (B, H, W) -> (B, H, W, 1)
        output_shape=(6, 3),
        overfit_steps=25,
        loss=lambda m, b: loss(b[1], m(b[0][..., None], training=True)),
    )


SPECS = [
    _torch_spec("resnet", True),
    _keras_spec("resnet", True),
    _torch_spec("plainnet", False),
    _keras_spec("plainnet", False),
]
