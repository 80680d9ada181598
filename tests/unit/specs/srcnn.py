import numpy as np

_KWARGS = dict(channels=1, widths=(8, 4), kernel_sizes=(5, 3, 3))


def _batch():
    rng = np.random.default_rng(0)
    sharp = rng.random((4, 16, 16, 1), dtype=np.float32)  # channels-last; torch transposes
    blurry = 0.5 * sharp + 0.25
    return blurry, sharp


def _torch_spec():
    import torch
    import torch.nn.functional as F

    from dlguide.torch.srcnn import SRCNN
    from tests.unit.specs import Spec

    def t(a):
        return torch.as_tensor(a).permute(0, 3, 1, 2)  # (B, H, W, C) -> (B, C, H, W)

    return Spec(
        family="srcnn",
        framework="torch",
        build=lambda: SRCNN(**_KWARGS),
        batch=_batch,
        output=lambda m, b: m(t(b[0])),
        output_shape=(4, 1, 16, 16),
        loss=lambda m, b: F.mse_loss(m(t(b[0])), t(b[1])),
    )


def _keras_spec():
    import keras

    from dlguide.keras.srcnn import SRCNN
    from tests.unit.specs import Spec

    loss = keras.losses.MeanSquaredError()
    return Spec(
        family="srcnn",
        framework="keras",
        build=lambda: SRCNN(**_KWARGS),
        batch=_batch,
        output=lambda m, b: m(b[0], training=False),
        output_shape=(4, 16, 16, 1),
        loss=lambda m, b: loss(b[1], m(b[0], training=True)),
    )


SPECS = [_torch_spec(), _keras_spec()]
