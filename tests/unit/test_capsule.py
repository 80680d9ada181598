"""Capsule network: squash, routing, margin loss, reconstruction and documented errors."""

import numpy as np
import pytest
import torch

from dlguide.torch.capsule import CapsuleNet, DigitCapsules, dynamic_routing, margin_loss, squash


def _keras():
    from dlguide.keras import capsule

    return capsule


def test_squash_keeps_direction_and_shrinks_norms_below_one():
    s = torch.randn(100, 8) * torch.logspace(-2, 2, 100).unsqueeze(1)  # tiny to huge vectors
    v = squash(s)
    norms = v.norm(dim=-1)
    assert bool((norms < 1).all()) and bool((norms >= 0).all())
    expected = s.norm(dim=-1) ** 2 / (1 + s.norm(dim=-1) ** 2)
    torch.testing.assert_close(norms, expected, rtol=1e-4, atol=1e-6)
    cosine = torch.nn.functional.cosine_similarity(v, s, dim=-1)
    torch.testing.assert_close(cosine, torch.ones(100), rtol=0, atol=1e-5)
    k = np.asarray(_keras().squash(s.numpy()))
    np.testing.assert_allclose(k, v.numpy(), rtol=1e-4, atol=1e-6)


def test_routing_coefficients_sum_to_one_over_output_capsules():
    u_hat = torch.randn(3, 7, 5, 4)
    for iterations in (1, 3):
        v, c = dynamic_routing(u_hat, iterations)
        assert v.shape == (3, 5, 4) and c.shape == (3, 7, 5)
        torch.testing.assert_close(c.sum(dim=-1), torch.ones(3, 7))
    # After one iteration the coupling is uniform; routing by agreement makes it uneven.
    _, c1 = dynamic_routing(u_hat, 1)
    _, c3 = dynamic_routing(u_hat, 3)
    torch.testing.assert_close(c1, torch.full_like(c1, 1 / 5))
    assert float(c3.std()) > 0.01
    kv, kc = _keras().dynamic_routing(u_hat.numpy(), 3)
    np.testing.assert_allclose(np.asarray(kc).sum(axis=-1), np.ones((3, 7)), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(kc), c3.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        np.asarray(kv), dynamic_routing(u_hat, 3)[0].numpy(), rtol=1e-4, atol=1e-5
    )


def test_digit_capsules_coupling_from_the_layer():
    layer = DigitCapsules(num_in_capsules=6, in_dim=4, num_out_capsules=3, out_dim=5)
    v, c = layer.routing(torch.randn(2, 6, 4))
    assert v.shape == (2, 3, 5)
    torch.testing.assert_close(c.sum(dim=-1), torch.ones(2, 6))
    with pytest.raises(ValueError, match=r"\(B, 6, 4\)"):
        layer(torch.randn(2, 5, 4))


def test_margin_loss_values():
    lengths = np.array([[0.8, 0.3], [0.95, 0.05]], dtype=np.float32)
    labels = np.array([0, 1])
    # row 0 (class 0): (0.9 - 0.8)^2 + 0.5 * (0.3 - 0.1)^2 = 0.01 + 0.02 = 0.03
    # row 1 (class 1): (0.9 - 0.05)^2 + 0.5 * (0.95 - 0.1)^2 = 0.7225 + 0.36125 = 1.08375
    expected = (0.03 + 1.08375) / 2
    assert float(margin_loss(torch.as_tensor(lengths), torch.as_tensor(labels))) == pytest.approx(
        expected
    )
    assert float(_keras().margin_loss(lengths, labels)) == pytest.approx(expected, rel=1e-5)


def test_scores_are_lengths_in_unit_interval_and_twins_match_in_size():
    x = torch.rand(2, 1, 28, 28)
    scores = CapsuleNet()(x)
    assert scores.shape == (2, 10) and bool((scores >= 0).all()) and bool((scores < 1).all())
    k = _keras().CapsuleNet()
    out = np.asarray(k(np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32)))
    assert out.shape == (2, 10) and np.all((out >= 0) & (out < 1))
    assert sum(p.numel() for p in CapsuleNet().parameters()) == sum(
        int(np.prod(w.shape)) for w in k.trainable_weights
    )


def test_reconstruction_decoder_is_optional():
    model = CapsuleNet(image_size=20, conv_channels=8, primary_types=2, reconstruction=True)
    x = torch.rand(3, 1, 20, 20)
    out = model.reconstruct(x, torch.tensor([0, 1, 2]))
    assert out.shape == x.shape and bool((out >= 0).all()) and bool((out <= 1).all())
    assert model(x).shape == (3, 10)
    with pytest.raises(ValueError, match="reconstruction=True"):
        CapsuleNet(image_size=20).reconstruct(x)
    k = _keras().CapsuleNet(image_size=20, conv_channels=8, primary_types=2, reconstruction=True)
    kx = np.random.default_rng(0).random((3, 20, 20, 1), dtype=np.float32)
    assert tuple(k.reconstruct(kx).shape) == (3, 20, 20, 1)
    # The decoder's weights belong to the model (trained and saved with it), as in torch.
    assert sum(p.numel() for p in model.parameters()) == sum(
        int(np.prod(w.shape)) for w in k.trainable_weights
    )


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"image_size": 16}, ValueError),
        ({"num_classes": 0}, ValueError),
        ({"routing_iterations": 0}, ValueError),
        ({"digit_dim": 2.0}, TypeError),
        ({"reconstruction": 1}, TypeError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        CapsuleNet(**kwargs)
    with pytest.raises(error):
        _keras().CapsuleNet(**kwargs)


def test_torch_rejects_wrong_input_shape():
    with pytest.raises(ValueError, match="expects"):
        CapsuleNet()(torch.zeros(2, 1, 20, 20))
