import numpy as np


def _batch():
    rng = np.random.default_rng(0)
    x = rng.random((4, 16, 16, 1), dtype=np.float32)  # channels-last; torch transposes
    y = (x[..., 0] > 0.5).astype(np.int64)  # (4, 16, 16) per-pixel labels
    return x, y


def _torch_spec():
    import torch
    import torch.nn.functional as F

    from dlguide.torch.unet import UNet
    from tests.unit.specs import Spec

    def x_of(b):
        return torch.as_tensor(b[0]).permute(0, 3, 1, 2)  # (B, H, W, C) -> (B, C, H, W)

    return Spec(
        family="unet",
        framework="torch",
        build=lambda: UNet(in_channels=1, num_classes=2, widths=(4, 8, 16)),
        batch=_batch,
        output=lambda m, b: m(x_of(b)),
        output_shape=(4, 2, 16, 16),
        loss=lambda m, b: F.cross_entropy(m(x_of(b)), torch.as_tensor(b[1])),
    )


def _keras_spec():
    import keras

    from dlguide.keras.unet import UNet
    from tests.unit.specs import Spec

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return Spec(
        family="unet",
        framework="keras",
        build=lambda: UNet(in_channels=1, num_classes=2, widths=(4, 8, 16)),
        batch=_batch,
        output=lambda m, b: m(b[0], training=False),
        output_shape=(4, 16, 16, 2),
        loss=lambda m, b: loss(b[1], m(b[0], training=True)),
    )


SPECS = [_torch_spec(), _keras_spec()]
