"""GANs and their toy target: shapes and ranges, the training step, and the ring of Gaussians."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlguide.data.toy import make_ring_data
from dlguide.torch import gan as tgan


@pytest.fixture(scope="module")
def kgan():
    from dlguide.keras import gan

    return gan


# ---------------------------------------------------------------- make_ring_data


def test_ring_data_shape_dtype_and_modes():
    points = make_ring_data(4000, modes=8, radius=2.0, std=0.05, seed=0)
    assert points.shape == (4000, 2) and points.dtype == np.float32
    angles = 2 * np.pi * np.arange(8) / 8
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    distances = np.linalg.norm(points[:, None, :] - centres[None], axis=2)  # (N, 8)
    nearest = distances.argmin(axis=1)
    assert distances.min(axis=1).max() < 6 * 0.05  # every point sits on one of the 8 blobs
    counts = np.bincount(nearest, minlength=8)
    assert counts.min() > 4000 / 8 * 0.8  # modes are equally likely
    for mode in range(8):  # each blob has the requested spread
        assert np.std(points[nearest == mode] - centres[mode]) == pytest.approx(0.05, rel=0.1)


def test_ring_data_is_seeded_and_follows_its_arguments():
    np.testing.assert_array_equal(make_ring_data(10, seed=1), make_ring_data(10, seed=1))
    assert not np.array_equal(make_ring_data(10, seed=1), make_ring_data(10, seed=2))
    points = make_ring_data(50, modes=3, radius=5.0, std=0.0)
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), 5.0, rtol=1e-6)
    assert len(np.unique(points.round(4), axis=0)) == 3


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n": 0}, ValueError),
        ({"n": 2.0}, TypeError),
        ({"n": 5, "modes": 0}, ValueError),
        ({"n": 5, "radius": 0.0}, ValueError),
        ({"n": 5, "std": -0.1}, ValueError),
        ({"n": 5, "seed": "0"}, TypeError),
    ],
)
def test_ring_data_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        make_ring_data(**kwargs)


# ---------------------------------------------------------------- models


def test_torch_dcgan_shapes_and_range():
    torch.manual_seed(0)
    images = tgan.DCGANGenerator()(torch.randn(3, 64) * 10)
    assert images.shape == (3, 1, 28, 28)
    assert images.min() >= -1 and images.max() <= 1
    assert tgan.DCGANDiscriminator()(images).shape == (3, 1)
    assert tgan.DCGANGenerator(latent_dim=8, channels=(4,))(torch.randn(2, 8)).shape == (
        2,
        1,
        28,
        28,
    )


def test_keras_dcgan_shapes_and_range(kgan):
    images = kgan.DCGANGenerator()(np.random.default_rng(0).normal(0, 10, (3, 64)), training=False)
    assert tuple(images.shape) == (3, 28, 28, 1)
    assert float(np.min(images)) >= -1 and float(np.max(images)) <= 1
    assert tuple(kgan.DCGANDiscriminator()(images).shape) == (3, 1)


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize(
    ("name", "kwargs", "error"),
    [
        ("Generator2D", {"latent_dim": 0}, ValueError),
        ("Generator2D", {"num_hiddens": 1.5}, TypeError),
        ("Discriminator2D", {"num_hiddens": -4}, ValueError),
        ("DCGANGenerator", {"channels": (8, 8, 8)}, ValueError),
        ("DCGANGenerator", {"channels": ()}, ValueError),
        ("DCGANDiscriminator", {"channels": "32"}, TypeError),
    ],
)
def test_constructors_reject_bad_arguments(framework, name, kwargs, error, kgan):
    module = tgan if framework == "torch" else kgan
    with pytest.raises(error):
        getattr(module, name)(**kwargs)


def test_torch_models_reject_inputs_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"\(B, 2\)"):
        tgan.Generator2D()(torch.zeros(4, 3))
    with pytest.raises(ValueError, match=r"\(B, 2\)"):
        tgan.Discriminator2D()(torch.zeros(4))
    with pytest.raises(ValueError, match=r"\(B, 64\)"):
        tgan.DCGANGenerator()(torch.zeros(4, 32))
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        tgan.DCGANDiscriminator()(torch.zeros(4, 28, 28, 1))


# ---------------------------------------------------------------- training


def _snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def test_gan_train_step_changes_both_networks_and_returns_finite_losses():
    torch.manual_seed(0)
    generator, discriminator = (
        tgan.Generator2D(num_hiddens=16),
        tgan.Discriminator2D(num_hiddens=16),
    )
    g_opt = torch.optim.Adam(generator.parameters(), lr=1e-3)
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=1e-3)
    g_before, d_before = _snapshot(generator), _snapshot(discriminator)
    real = torch.as_tensor(make_ring_data(32))
    d_loss, g_loss = tgan.gan_train_step(generator, discriminator, real, g_opt, d_opt, latent_dim=2)
    assert isinstance(d_loss, float) and isinstance(g_loss, float)
    assert np.isfinite(d_loss) and np.isfinite(g_loss) and d_loss > 0 and g_loss > 0
    for before, after in (
        (g_before, generator.parameters()),
        (d_before, discriminator.parameters()),
    ):
        assert all(not torch.equal(b, a) for b, a in zip(before, after, strict=True))
    assert all(p.requires_grad for p in discriminator.parameters())  # unfrozen again


def test_gan_train_step_leaves_only_the_discriminator_loss_gradients_on_the_discriminator():
    """The generator step runs through D but must not add to D's gradients."""
    import copy

    import torch.nn.functional as F

    torch.manual_seed(0)
    generator, discriminator = tgan.Generator2D(), tgan.Discriminator2D()
    g0, d0 = copy.deepcopy(generator), copy.deepcopy(discriminator)
    g_opt = torch.optim.SGD(generator.parameters(), lr=0.1)
    d_opt = torch.optim.SGD(discriminator.parameters(), lr=0.0)  # D stays as d0
    real = torch.randn(8, 2)
    torch.manual_seed(1)
    tgan.gan_train_step(generator, discriminator, real, g_opt, d_opt, latent_dim=2)

    torch.manual_seed(1)
    fake = g0(torch.randn(8, 2)).detach()  # the same noise draw
    d_loss = F.binary_cross_entropy_with_logits(
        d0(real), torch.ones(8, 1)
    ) + F.binary_cross_entropy_with_logits(d0(fake), torch.zeros(8, 1))
    d_loss.backward()
    for p, expected in zip(discriminator.parameters(), d0.parameters(), strict=True):
        torch.testing.assert_close(p.grad, expected.grad)


def test_gan_train_step_rejects_bad_arguments():
    g, d = tgan.Generator2D(), tgan.Discriminator2D()
    opt = torch.optim.SGD(g.parameters())
    with pytest.raises(TypeError):
        tgan.gan_train_step("g", d, torch.zeros(2, 2), opt, opt, latent_dim=2)
    with pytest.raises(ValueError, match="latent_dim must be >= 1"):
        tgan.gan_train_step(g, d, torch.zeros(2, 2), opt, opt, latent_dim=0)


def test_keras_gan_fit_changes_both_networks(kgan):
    import keras

    keras.utils.set_random_seed(0)
    gan = kgan.GAN(
        generator=kgan.Generator2D(num_hiddens=16),
        discriminator=kgan.Discriminator2D(num_hiddens=16),
        latent_dim=2,
    )
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    g_before = [keras.ops.convert_to_numpy(w) for w in gan.generator.trainable_weights]
    d_before = [keras.ops.convert_to_numpy(w) for w in gan.discriminator.trainable_weights]
    history = gan.fit(make_ring_data(64), epochs=1, batch_size=32, verbose=0).history
    assert sorted(history) == ["d_loss", "g_loss"]
    assert all(np.isfinite(v[0]) and v[0] > 0 for v in history.values())
    for before, after in (
        (g_before, gan.generator.trainable_weights),
        (d_before, gan.discriminator.trainable_weights),
    ):
        assert all(
            not np.array_equal(b, keras.ops.convert_to_numpy(a))
            for b, a in zip(before, after, strict=True)
        )
    assert tuple(gan(np.zeros((3, 2))).shape) == (3, 2)


def test_keras_gan_rejects_bad_arguments(kgan):
    import keras

    with pytest.raises(TypeError):
        kgan.GAN(generator="g", discriminator=kgan.Discriminator2D(), latent_dim=2)
    with pytest.raises(ValueError, match="latent_dim"):
        kgan.GAN(
            generator=kgan.Generator2D(latent_dim=2),
            discriminator=kgan.Discriminator2D(),
            latent_dim=3,
        )
    gan = kgan.GAN(generator=kgan.Generator2D(), discriminator=kgan.Discriminator2D(), latent_dim=2)
    with pytest.raises(TypeError):
        gan.compile(d_optimizer="adam", g_optimizer=keras.optimizers.Adam())
