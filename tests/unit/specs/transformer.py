"""Registry specs of the transformer family: the character transformer and the ViT."""

import numpy as np

from tests.unit.specs.recurrent import LENGTH, VOCAB, _characters, _keras, _torch


def _images_torch():
    rng = np.random.default_rng(0)
    return rng.random((4, 1, 8, 8), dtype=np.float32), np.arange(4) % 3


def _images_keras():
    x, y = _images_torch()
    return x.transpose(0, 2, 3, 1), y  # (B, C, H, W) -> (B, H, W, C)


def _specs():
    from dlguide.keras import transformer as kt
    from dlguide.torch import transformer as tt

    char = dict(vocab_size=VOCAB, context_length=LENGTH, embed_dim=16, num_heads=2, num_layers=1)
    vit = dict(image_size=8, patch_size=4, num_classes=3, embed_dim=16, num_heads=2, num_layers=1)
    shape = (4, LENGTH, VOCAB)
    return [
        _torch("char-transformer", lambda: tt.CharTransformer(**char), _characters, shape, "ce"),
        _keras("char-transformer", lambda: kt.CharTransformer(**char), _characters, shape, "ce"),
        _torch("vit", lambda: tt.VisionTransformer(**vit), _images_torch, (4, 3), "ce"),
        _keras("vit", lambda: kt.VisionTransformer(**vit), _images_keras, (4, 3), "ce"),
    ]


SPECS = _specs()
