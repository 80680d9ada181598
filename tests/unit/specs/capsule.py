import numpy as np

# 20x20 images: 9x9 conv -> 12x12, 9x9 stride-2 primary conv -> 2x2, so 4 types x 2 x 2 = 16
# primary capsules routed to 3 digit capsules.
_KWARGS = dict(
    num_classes=3, image_size=20, conv_channels=8, primary_types=4, primary_dim=4, digit_dim=8
)


def _batch():
    rng = np.random.default_rng(0)
    return rng.random((6, 20, 20, 1), dtype=np.float32), np.arange(6) % 3


def _torch_spec():
    import torch

    from dlguide.torch.capsule import CapsuleNet, margin_loss
    from tests.unit.specs import Spec

    def x_of(b):
        return torch.as_tensor(b[0]).permute(0, 3, 1, 2)  # (B, H, W, C) -> (B, C, H, W)

    return Spec(
        family="capsnet",
        framework="torch",
        build=lambda: CapsuleNet(**_KWARGS),
        batch=_batch,
        output=lambda m, b: m(x_of(b)),
        output_shape=(6, 3),
        loss=lambda m, b: margin_loss(m(x_of(b)), torch.as_tensor(b[1])),
    )


def _keras_spec():
    from dlguide.keras.capsule import CapsuleNet, margin_loss
    from tests.unit.specs import Spec

    return Spec(
        family="capsnet",
        framework="keras",
        build=lambda: CapsuleNet(**_KWARGS),
        batch=_batch,
        output=lambda m, b: m(b[0], training=False),
        output_shape=(6, 3),
        loss=lambda m, b: margin_loss(m(b[0], training=True), b[1]),
    )


SPECS = [_torch_spec(), _keras_spec()]
