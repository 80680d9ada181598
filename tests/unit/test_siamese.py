"""Siamese network: loss values on hand-made inputs, shared weights, documented errors."""

import numpy as np
import pytest
import torch

from dlguide.torch.siamese import SiameseNetwork, contrastive_loss, triplet_loss


def _keras():
    from dlguide.keras import siamese

    return siamese


def test_contrastive_loss_values():
    d = np.array([0.2, 2.0, 0.4, 1.5], dtype=np.float32)
    same = np.array([1.0, 1.0, 0.0, 0.0], dtype=np.float32)
    # similar: d^2/2 = 0.02, 2.0; dissimilar: max(0, 1 - d)^2 / 2 = 0.18, 0 -> mean 2.2 / 4
    expected = (0.02 + 2.0 + 0.18 + 0.0) / 4
    assert float(contrastive_loss(torch.as_tensor(d), torch.as_tensor(same))) == pytest.approx(
        expected
    )
    assert float(_keras().contrastive_loss(d, same)) == pytest.approx(expected, rel=1e-6)
    # A larger margin only raises the dissimilar terms: max(0, 2 - d)^2 / 2 = 1.28, 0.125.
    expected_m2 = (0.02 + 2.0 + 1.28 + 0.125) / 4
    assert float(
        contrastive_loss(torch.as_tensor(d), torch.as_tensor(same), margin=2.0)
    ) == pytest.approx(expected_m2)
    assert float(_keras().contrastive_loss(d, same, margin=2.0)) == pytest.approx(
        expected_m2, rel=1e-6
    )


def test_triplet_loss_values():
    anchor = np.zeros((3, 2), dtype=np.float32)
    positive = np.array([[1, 0], [0, 0], [2, 0]], dtype=np.float32)  # |a-p|^2 = 1, 0, 4
    negative = np.array([[0, 2], [0, 0.5], [0, 1]], dtype=np.float32)  # |a-n|^2 = 4, 0.25, 1
    # max(0, 1 - 4 + 0.5) = 0, max(0, 0 - 0.25 + 0.5) = 0.25, max(0, 4 - 1 + 0.5) = 3.5
    expected = (0.0 + 0.25 + 3.5) / 3
    t = [torch.as_tensor(a) for a in (anchor, positive, negative)]
    assert float(triplet_loss(*t)) == pytest.approx(expected)
    assert float(_keras().triplet_loss(anchor, positive, negative)) == pytest.approx(
        expected, rel=1e-6
    )


def test_losses_reject_bad_arguments():
    with pytest.raises(ValueError, match="margin"):
        contrastive_loss(torch.zeros(2), torch.zeros(2), margin=0.0)
    with pytest.raises(ValueError, match="differ in shape"):
        contrastive_loss(torch.zeros(2), torch.zeros(3))
    with pytest.raises(ValueError, match="same shape"):
        triplet_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 4))
    with pytest.raises(TypeError, match="margin"):
        _keras().triplet_loss(np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 2)), margin="1")


def test_weights_are_shared_so_distance_is_a_metric():
    model = SiameseNetwork(image_size=8).eval()
    x1, x2 = torch.rand(4, 1, 8, 8), torch.rand(4, 1, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(model(x1, x2), model(x2, x1))
        assert float(model(x1, x1).max()) < 1e-3  # only the sqrt's eps remains
    k = _keras().SiameseNetwork(image_size=8)
    a, b = np.random.default_rng(0).random((2, 4, 8, 8, 1), dtype=np.float32)
    np.testing.assert_allclose(np.asarray(k([a, b])), np.asarray(k([b, a])), rtol=1e-6)
    assert float(np.max(np.asarray(k([a, a])))) < 1e-3


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"embedding_dim": 0}, ValueError),
        ({"image_size": 3}, ValueError),
        ({"in_channels": "1"}, TypeError),
    ],
)
def test_bad_constructor_arguments(kwargs, error):
    with pytest.raises(error):
        SiameseNetwork(**kwargs)
    with pytest.raises(error):
        _keras().SiameseNetwork(**kwargs)


def test_torch_rejects_wrong_image_size():
    with pytest.raises(ValueError, match="expects"):
        SiameseNetwork(image_size=28).embed(torch.zeros(2, 1, 8, 8))
