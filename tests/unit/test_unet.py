"""U-Net: documented errors and the output shape of both twins."""

import numpy as np
import pytest
import torch

from dlguide.torch.unet import UNet


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"in_channels": 0}, ValueError),
        ({"num_classes": 1.5}, TypeError),
        ({"widths": (16,)}, ValueError),
        ({"widths": (16, 0)}, ValueError),
        ({"widths": "16"}, TypeError),
    ],
)
def test_bad_arguments(kwargs, error):
    from dlguide.keras.unet import UNet as KerasUNet

    with pytest.raises(error):
        UNet(**kwargs)
    with pytest.raises(error):
        KerasUNet(**kwargs)


def test_torch_rejects_wrong_input_shapes():
    model = UNet(widths=(4, 8, 16))
    with pytest.raises(ValueError, match="divisible by 4"):
        model(torch.zeros(1, 1, 18, 16))
    with pytest.raises(ValueError, match=r"\(B, 1, H, W\)"):
        model(torch.zeros(1, 3, 16, 16))


def test_defaults_give_per_pixel_logits_of_the_input_size():
    from dlguide.keras.unet import UNet as KerasUNet

    assert UNet()(torch.zeros(2, 1, 64, 64)).shape == (2, 2, 64, 64)
    assert tuple(KerasUNet()(np.zeros((2, 64, 64, 1), "float32")).shape) == (2, 64, 64, 2)
    # Any size divisible by 2 ** (levels - 1) works, not only 64.
    assert UNet(num_classes=3)(torch.zeros(1, 1, 24, 40)).shape == (1, 3, 24, 40)
    assert tuple(KerasUNet(num_classes=3)(np.zeros((1, 24, 40, 1), "float32")).shape) == (
        1,
        24,
        40,
        3,
    )


def test_skip_connections_carry_fine_detail():
    """Each decoder block sees the encoder map of its size: 2 * width input channels."""
    model = UNet(widths=(4, 8, 16))
    assert [block.conv[0].in_channels for block in model.decoder] == [16, 8]
