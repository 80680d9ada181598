import numpy as np


def _batch():
    rng = np.random.default_rng(0)
    x1 = rng.random((8, 8, 8, 1), dtype=np.float32)  # channels-last; torch transposes
    x2 = rng.random((8, 8, 8, 1), dtype=np.float32)
    same = (np.arange(8) % 2).astype(np.float32)
    return x1, x2, same


def _torch_spec():
    import torch

    from dlguide.torch.siamese import SiameseNetwork, contrastive_loss
    from tests.unit.specs import Spec

    def t(a):
        return torch.as_tensor(a).permute(0, 3, 1, 2)  # (B, H, W, C) -> (B, C, H, W)

    return Spec(
        family="siamese",
        framework="torch",
        build=lambda: SiameseNetwork(embedding_dim=8, in_channels=1, image_size=8),
        batch=_batch,
        output=lambda m, b: m(t(b[0]), t(b[1])),
        output_shape=(8,),
        loss=lambda m, b: contrastive_loss(m(t(b[0]), t(b[1])), torch.as_tensor(b[2])),
    )


def _keras_spec():
    from dlguide.keras.siamese import SiameseNetwork, contrastive_loss
    from tests.unit.specs import Spec

    return Spec(
        family="siamese",
        framework="keras",
        build=lambda: SiameseNetwork(embedding_dim=8, in_channels=1, image_size=8),
        batch=_batch,
        output=lambda m, b: m([b[0], b[1]], training=False),
        output_shape=(8,),
        loss=lambda m, b: contrastive_loss(m([b[0], b[1]], training=True), b[2]),
    )


SPECS = [_torch_spec(), _keras_spec()]
