"""The VAE: the ELBO's two terms, the reparameterisation trick, sampling, Keras' train_step."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from dlguide.torch import vae as tvae


@pytest.fixture(scope="module")
def kvae():
    from dlguide.keras import vae

    return vae


def _random_terms(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((6, 20), dtype=np.float32)
    logits = rng.normal(0, 3, (6, 20)).astype(np.float32)
    mu = rng.normal(0, 2, (6, 3)).astype(np.float32)
    logvar = rng.normal(0, 2, (6, 3)).astype(np.float32)
    return x, logits, mu, logvar


def _manual_elbo(x, logits, mu, logvar):
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    reconstruction = -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1).mean()
    kl = (-0.5 * (1 + logvar - mu**2 - np.exp(logvar))).sum(axis=1).mean()
    return reconstruction + kl, reconstruction, kl


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_elbo_terms_are_non_negative_and_match_the_formula(seed, kvae):
    x, logits, mu, logvar = _random_terms(seed)
    expected = _manual_elbo(x, logits, mu, logvar)
    t_terms = [float(t) for t in tvae.elbo_loss(*map(torch.as_tensor, (x, logits, mu, logvar)))]
    k_terms = [float(t) for t in kvae.elbo_loss(x, logits, mu, logvar)]
    for terms in (t_terms, k_terms):
        loss, reconstruction, kl = terms
        assert reconstruction >= 0 and kl >= 0
        assert loss == pytest.approx(reconstruction + kl, rel=1e-6)
        np.testing.assert_allclose(terms, expected, rtol=1e-4)


def test_kl_is_zero_at_the_prior(kvae):
    x, logits, _, _ = _random_terms()
    zeros = np.zeros((6, 3), dtype=np.float32)
    _, reconstruction, kl = tvae.elbo_loss(*map(torch.as_tensor, (x, logits, zeros, zeros)))
    assert float(kl) == 0.0 and float(reconstruction) > 0
    _, reconstruction, kl = kvae.elbo_loss(x, logits, zeros, zeros)
    assert float(kl) == 0.0 and float(reconstruction) > 0


def test_elbo_accepts_images_for_flat_logits():
    x = torch.rand(2, 4, 4)
    loss, _, _ = tvae.elbo_loss(x, torch.zeros(2, 16), torch.zeros(2, 2), torch.zeros(2, 2))
    assert float(loss) == pytest.approx(
        16 * math.log(2), rel=1e-6
    )  # BCE at p=0.5 is log 2 per value


def test_torch_reparameterize_has_the_right_mean_and_variance():
    torch.manual_seed(0)
    model = tvae.VAE(num_inputs=4, latent_dim=2)
    mu = torch.tensor([[1.5, -2.0]]).repeat(50_000, 1)
    logvar = torch.log(torch.tensor([[0.25, 4.0]])).repeat(50_000, 1)
    z = model.reparameterize(mu, logvar)
    torch.testing.assert_close(z.mean(0), torch.tensor([1.5, -2.0]), atol=0.03, rtol=0)
    torch.testing.assert_close(z.var(0), torch.tensor([0.25, 4.0]), atol=0.0, rtol=0.03)


def test_keras_reparameterize_has_the_right_mean_and_variance(kvae):
    import keras

    keras.utils.set_random_seed(0)
    model = kvae.VAE(num_inputs=4, latent_dim=2)
    mu = np.tile(np.float32([[1.5, -2.0]]), (50_000, 1))
    logvar = np.tile(np.log(np.float32([[0.25, 4.0]])), (50_000, 1))
    z = np.asarray(model.reparameterize(mu, logvar))
    np.testing.assert_allclose(z.mean(0), [1.5, -2.0], atol=0.03)
    np.testing.assert_allclose(z.var(0), [0.25, 4.0], rtol=0.03)


def test_forward_returns_logits_mu_logvar(kvae):
    t_out = tvae.VAE()(torch.rand(3, 28, 28))
    k_out = kvae.VAE()(np.random.default_rng(0).random((3, 28, 28), dtype=np.float32))
    for out in (t_out, k_out):
        assert [tuple(o.shape) for o in out] == [(3, 784), (3, 2), (3, 2)]


def test_sample_is_seeded_and_in_unit_interval(kvae):
    torch.manual_seed(0)
    model = tvae.VAE(num_inputs=16, latent_dim=3)
    a, b, c = (
        tvae.sample(model, 5, seed=1),
        tvae.sample(model, 5, seed=1),
        tvae.sample(model, 5, seed=2),
    )
    assert a.shape == (5, 16) and a.min() >= 0 and a.max() <= 1
    torch.testing.assert_close(a, b)
    assert not torch.equal(a, c)

    model = kvae.VAE(num_inputs=16, latent_dim=3)
    a, b, c = (np.asarray(kvae.sample(model, 5, seed=s)) for s in (1, 1, 2))
    assert a.shape == (5, 16) and a.min() >= 0 and a.max() <= 1
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_bad_arguments_raise(framework, kvae):
    module = tvae if framework == "torch" else kvae
    with pytest.raises(ValueError, match="latent_dim must be >= 1"):
        module.VAE(latent_dim=0)
    with pytest.raises(TypeError):
        module.VAE(num_inputs=7.5)
    with pytest.raises(TypeError):
        module.VAE(num_hiddens="256")
    model = module.VAE(num_inputs=16)
    with pytest.raises(ValueError, match="16 values"):
        model.encode(
            np.zeros((2, 15), dtype=np.float32) if framework == "keras" else torch.zeros(2, 15)
        )
    with pytest.raises(ValueError, match=r"\(B, 2\)"):
        model.decode(
            np.zeros((2, 3), dtype=np.float32) if framework == "keras" else torch.zeros(2, 3)
        )
    with pytest.raises(ValueError, match="n must be >= 1"):
        module.sample(model, 0)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        module.sample(model, 2, seed=-1)
    with pytest.raises(TypeError):
        module.sample("model", 2)


def test_keras_custom_train_step_lowers_the_elbo(kvae):
    import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = (rng.random((64, 16)) < 0.2).astype(np.float32)
    model = kvae.VAE(num_inputs=16, num_hiddens=(32,), latent_dim=2)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    before = model.evaluate(x, batch_size=64, verbose=0, return_dict=True)
    history = model.fit(x, epochs=15, batch_size=16, verbose=0).history
    after = model.evaluate(x, batch_size=64, verbose=0, return_dict=True)
    assert sorted(history) == ["kl", "loss", "reconstruction"]
    assert all(np.isfinite(history["loss"]))
    assert after["loss"] < 0.8 * before["loss"]


def test_keras_config_round_trip(kvae):
    model = kvae.VAE(num_inputs=16, num_hiddens=(8, 4), latent_dim=3)
    clone = kvae.VAE.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    assert clone.count_params() == model.count_params()
