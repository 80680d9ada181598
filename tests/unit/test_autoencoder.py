"""Autoencoders and their noise helper: arguments, shapes, ranges, the per-example error."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlguide.data.noise import add_noise
from dlguide.torch import autoencoder as tae


@pytest.fixture(scope="module")
def kae():
    from dlguide.keras import autoencoder

    return autoencoder


# ---------------------------------------------------------------- add_noise


def test_add_noise_is_clipped_deterministic_and_leaves_input_alone():
    x = np.linspace(0, 1, 200, dtype=np.float32).reshape(2, 10, 10)
    copy = x.copy()
    noisy = add_noise(x, std=0.5, seed=3)
    assert noisy.shape == x.shape and noisy.dtype == np.float32
    assert noisy.min() == 0.0 and noisy.max() == 1.0  # std=0.5 certainly crosses both bounds
    np.testing.assert_array_equal(noisy, add_noise(x, std=0.5, seed=3))
    assert not np.array_equal(noisy, add_noise(x, std=0.5, seed=4))
    np.testing.assert_array_equal(x, copy)
    np.testing.assert_array_equal(add_noise(x, std=0.0), x)


def test_add_noise_has_the_requested_spread():
    noisy = add_noise(
        np.full((100_000,), 0.5), std=0.1, seed=0
    )  # 5 std from the bounds: no clipping
    assert abs(noisy.std() - 0.1) < 0.002


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"x": np.zeros(3), "std": -0.1}, ValueError),
        ({"x": np.zeros(3), "std": "0.3"}, TypeError),
        ({"x": np.zeros(3), "seed": -1}, ValueError),
        ({"x": np.zeros(3), "seed": 1.5}, TypeError),
        ({"x": np.array(["a"])}, TypeError),
        ({"x": np.array([np.nan])}, ValueError),
    ],
)
def test_add_noise_rejects_bad_arguments(kwargs, error):
    x = kwargs.pop("x")
    with pytest.raises(error):
        add_noise(x, **kwargs)


# ---------------------------------------------------------------- constructors


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize(
    ("name", "kwargs", "error"),
    [
        ("DenseAutoencoder", {"num_inputs": 0}, ValueError),
        ("DenseAutoencoder", {"latent_dim": "4"}, TypeError),
        ("DenseAutoencoder", {"num_hiddens": 64}, TypeError),
        ("DenseAutoencoder", {"num_hiddens": (32, 0)}, ValueError),
        ("ConvAutoencoder", {"image_size": 30}, ValueError),  # not divisible by 4
        ("ConvAutoencoder", {"channels": ()}, ValueError),
        ("ConvAutoencoder", {"in_channels": True}, TypeError),
        ("ConvAutoencoder", {"latent_dim": -1}, ValueError),
    ],
)
def test_constructors_reject_bad_arguments(framework, name, kwargs, error, kae):
    module = tae if framework == "torch" else kae
    with pytest.raises(error):
        getattr(module, name)(**kwargs)


def test_keras_dense_rejects_input_shape_of_the_wrong_size(kae):
    with pytest.raises(ValueError, match="input_shape"):
        kae.DenseAutoencoder(num_inputs=64, input_shape=(8, 9))


def test_torch_models_reject_inputs_of_the_wrong_shape():
    with pytest.raises(ValueError, match="64 values"):
        tae.DenseAutoencoder(num_inputs=64)(torch.zeros(2, 63))
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        tae.ConvAutoencoder()(torch.zeros(2, 3, 28, 28))
    with pytest.raises(ValueError, match=r"\(B, 16\)"):
        tae.ConvAutoencoder().decode(torch.zeros(2, 8))


# ---------------------------------------------------------------- behaviour


def test_torch_forward_is_decode_of_encode_and_lies_in_unit_interval():
    torch.manual_seed(0)
    for model, x, code in [
        (tae.DenseAutoencoder(), torch.rand(3, 28, 28), (3, 16)),
        (tae.ConvAutoencoder(), torch.rand(3, 1, 28, 28), (3, 16)),
    ]:
        z = model.encode(x)
        assert z.shape == code
        out = model(x)
        torch.testing.assert_close(out, model.decode(z))
        assert out.min() >= 0 and out.max() <= 1


def test_keras_forward_is_decode_of_encode_and_lies_in_unit_interval(kae):
    rng = np.random.default_rng(0)
    for model, x in [
        (kae.DenseAutoencoder(input_shape=(28, 28)), rng.random((3, 28, 28), dtype=np.float32)),
        (kae.ConvAutoencoder(), rng.random((3, 28, 28, 1), dtype=np.float32)),
    ]:
        z = model.encode(x)
        assert tuple(z.shape) == (3, 16)
        out = np.asarray(model(x))
        np.testing.assert_allclose(out, np.asarray(model.decode(z)), rtol=1e-5, atol=1e-6)
        assert out.min() >= 0 and out.max() <= 1


def test_reconstruction_error_is_the_per_example_mean_squared_error(kae):
    rng = np.random.default_rng(0)
    x = rng.random((5, 1, 8, 8), dtype=np.float32)
    model = tae.ConvAutoencoder(image_size=8, channels=(4,), latent_dim=3)
    errors = tae.reconstruction_error(model, x)
    with torch.no_grad():
        expected = ((model(torch.as_tensor(x)) - torch.as_tensor(x)) ** 2).mean(dim=(1, 2, 3))
    assert errors.shape == (5,)
    torch.testing.assert_close(errors, expected)

    x = x.transpose(0, 2, 3, 1)
    model = kae.ConvAutoencoder(image_size=8, channels=(4,), latent_dim=3)
    errors = kae.reconstruction_error(model, x)
    expected = ((np.asarray(model(x)) - x) ** 2).mean(axis=(1, 2, 3))
    assert errors.shape == (5,)
    np.testing.assert_allclose(errors, expected, rtol=1e-5)


def test_reconstruction_error_rejects_models_that_are_not_autoencoders(kae):
    with pytest.raises(TypeError):
        tae.reconstruction_error(lambda x: x, np.zeros((2, 4)))
    with pytest.raises(TypeError):
        kae.reconstruction_error(tae.DenseAutoencoder(num_inputs=4), np.zeros((2, 4)))


def test_denoising_autoencoder_learns_to_remove_noise():
    """A short denoising run: on held-out digits the output is closer to the clean image than
    the noisy input was."""
    from dlguide.data.digits import load_digits

    torch.manual_seed(0)
    (x, _), (x_test, _) = load_digits(flatten=True)
    noisy, clean = torch.as_tensor(add_noise(x, std=0.3, seed=0)), torch.as_tensor(x)
    model = tae.DenseAutoencoder(num_inputs=64, num_hiddens=(64,), latent_dim=16)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(100):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(noisy), clean)
        loss.backward()
        optimizer.step()
    noisy_test, clean_test = (
        torch.as_tensor(add_noise(x_test, std=0.3, seed=1)),
        torch.as_tensor(x_test),
    )
    noise_error = float(((noisy_test - clean_test) ** 2).mean())
    with torch.no_grad():
        denoised_error = float(((model(noisy_test) - clean_test) ** 2).mean())
    assert denoised_error < 0.75 * noise_error


def test_keras_config_round_trip(kae):
    model = kae.ConvAutoencoder(image_size=8, channels=(4, 8), latent_dim=3)
    clone = kae.ConvAutoencoder.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    assert clone.count_params() == model.count_params()
