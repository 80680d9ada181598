"""SRCNN: same-size output in both twins and documented errors."""

import numpy as np
import pytest
import torch

from dlguide.torch.srcnn import SRCNN


def test_output_has_the_input_size():
    from dlguide.keras.srcnn import SRCNN as KerasSRCNN

    assert SRCNN()(torch.zeros(2, 1, 33, 20)).shape == (2, 1, 33, 20)
    assert tuple(KerasSRCNN()(np.zeros((2, 33, 20, 1), "float32")).shape) == (2, 33, 20, 1)
    assert SRCNN(channels=3, widths=(8,), kernel_sizes=(3, 3))(torch.zeros(1, 3, 8, 8)).shape == (
        1,
        3,
        8,
        8,
    )


def test_default_parameter_count_matches_the_paper_9_5_5():
    # 1*64*81 + 64 + 64*32*25 + 32 + 32*1*25 + 1
    assert sum(p.numel() for p in SRCNN().parameters()) == 57_281


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kernel_sizes": (9, 5)}, ValueError, "len\\(widths\\) \\+ 1"),
        ({"kernel_sizes": (9, 4, 5)}, ValueError, "odd"),
        ({"widths": ()}, ValueError, "widths"),
        ({"channels": 0}, ValueError, "channels"),
        ({"widths": (64, 32.0)}, TypeError, "widths"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    from dlguide.keras.srcnn import SRCNN as KerasSRCNN

    with pytest.raises(error, match=match):
        SRCNN(**kwargs)
    with pytest.raises(error, match=match):
        KerasSRCNN(**kwargs)


def test_torch_rejects_wrong_channels():
    with pytest.raises(ValueError, match=r"\(B, 1, H, W\)"):
        SRCNN()(torch.zeros(1, 3, 8, 8))
