"""RBMs and DBNs: free energy, sampling, contrastive divergence, pretraining, classifier."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from dlguide.torch import rbm as trbm


@pytest.fixture(scope="module")
def krbm():
    from dlguide.keras import rbm

    return rbm


def _module(framework, krbm):
    return trbm if framework == "torch" else krbm


def _numpy(tensor):
    return tensor.detach().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)


def _set(model, weight, visible_bias, hidden_bias):
    if isinstance(model, torch.nn.Module):
        with torch.no_grad():
            model.weight.copy_(torch.as_tensor(weight))
            model.visible_bias.copy_(torch.as_tensor(visible_bias))
            model.hidden_bias.copy_(torch.as_tensor(hidden_bias))
    else:
        model.weight.assign(weight)
        model.visible_bias.assign(visible_bias)
        model.hidden_bias.assign(hidden_bias)


def _tiny_batch():
    rng = np.random.default_rng(0)
    prototypes = (rng.random((2, 16)) < 0.5).astype(np.float32)
    return np.repeat(prototypes, 4, axis=0)  # 8 examples, two patterns


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_free_energy_matches_the_sum_over_hidden_states(framework, krbm):
    rng = np.random.default_rng(0)
    model = _module(framework, krbm).RBM(num_visible=3, num_hidden=2)
    w, bv, bh = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=2)
    _set(model, w.astype(np.float32), bv.astype(np.float32), bh.astype(np.float32))
    v = np.array(
        list(itertools.product([0, 1], repeat=3)), dtype=np.float32
    )  # all 8 visible states
    hs = np.array(list(itertools.product([0, 1], repeat=2)), dtype=np.float64)
    energies = (
        -(v @ bv)[:, None] - (hs @ bh)[None, :] - np.einsum("bi,ij,hj->bh", v, w, hs)
    )  # E(v, h)
    expected = -np.log(np.exp(-energies).sum(axis=1))  # F(v) = -log sum_h exp(-E(v, h))
    np.testing.assert_allclose(_numpy(model.free_energy(v)), expected, rtol=1e-5)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_sampling_gives_binary_states_with_the_stated_probabilities(framework, krbm):
    model = _module(framework, krbm).RBM(num_visible=16, num_hidden=8)
    v = np.tile(_tiny_batch()[:1], (4000, 1))
    p_h, h = model.sample_hidden(v, seed=0)
    p_h, h = _numpy(p_h), _numpy(h)
    np.testing.assert_allclose(p_h, _numpy(model.transform(v)), rtol=1e-6)
    assert set(np.unique(h)) <= {0.0, 1.0}
    np.testing.assert_allclose(h.mean(axis=0), p_h[0], atol=0.03)
    p_v, v_sample = model.sample_visible(h, seed=0)
    assert _numpy(p_v).shape == (4000, 16) and set(np.unique(_numpy(v_sample))) <= {0.0, 1.0}
    again = _numpy(model.sample_hidden(v, seed=0)[1])
    np.testing.assert_array_equal(h, again)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_cd1_lowers_the_reconstruction_error(framework, krbm):
    module = _module(framework, krbm)
    if framework == "torch":
        torch.manual_seed(0)
    else:
        import keras

        keras.utils.set_random_seed(0)
    model = module.RBM(num_visible=16, num_hidden=8)
    v = _tiny_batch()

    def error():  # mean-field reconstruction, no sampling
        return float(np.mean((_numpy(model.sample_visible(model.transform(v))[0]) - v) ** 2))

    before = error()
    for step in range(30):
        model.contrastive_divergence(v, k=1, lr=0.1, seed=step)
    assert error() < 0.5 * before


def test_cd_update_is_written_out_without_autograd():
    model = trbm.RBM(num_visible=16, num_hidden=8)
    before = model.weight.detach().clone()
    error = model.contrastive_divergence(_tiny_batch(), k=2, lr=0.1, seed=0)
    assert isinstance(error, float) and error > 0
    assert not torch.equal(before, model.weight)
    assert all(p.grad is None for p in model.parameters())


def _keras_uniforms(seed, shapes):
    """The uniform numbers a Keras CD chain seeded with ``seed`` draws, in order (h0 then v1)."""
    import keras

    seed_generator = keras.random.SeedGenerator(seed)
    return [np.asarray(keras.random.uniform(shape, seed=seed_generator)) for shape in shapes]


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_cd1_step_equals_the_documented_formula(framework, krbm):
    """W += lr (v0^T p(h|v0) - v1^T p(h|v1)) / B, b_v += lr mean(v0 - v1),
    b_h += lr mean(p(h|v0) - p(h|v1)), replaying the chain's random draws."""
    model = _module(framework, krbm).RBM(num_visible=16, num_hidden=8)
    v0 = _tiny_batch()
    rng = np.random.default_rng(1)
    w = rng.normal(0, 0.5, (16, 8)).astype(np.float32)
    bv, bh = rng.normal(0, 0.5, 16).astype(np.float32), rng.normal(0, 0.5, 8).astype(np.float32)
    _set(model, w, bv, bh)
    model.contrastive_divergence(v0, k=1, lr=0.5, seed=5)

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    if framework == "torch":  # replay the chain's two Bernoulli draws with the same generator
        generator = torch.Generator().manual_seed(5)
        p_h0 = sigmoid(v0 @ w + bh)
        h0 = torch.bernoulli(
            torch.as_tensor(p_h0, dtype=torch.float32), generator=generator
        ).numpy()
        v1 = torch.bernoulli(
            torch.as_tensor(sigmoid(h0 @ w.T + bv), dtype=torch.float32), generator=generator
        ).numpy()
    else:
        u_h, u_v = _keras_uniforms(5, [(8, 8), (8, 16)])
        p_h0 = sigmoid(v0 @ w + bh)
        h0 = (u_h < p_h0).astype(np.float32)
        v1 = (u_v < sigmoid(h0 @ w.T + bv)).astype(np.float32)
    p_h1 = sigmoid(v1 @ w + bh)
    np.testing.assert_allclose(
        _numpy(model.weight), w + 0.5 * (v0.T @ p_h0 - v1.T @ p_h1) / 8, rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        _numpy(model.visible_bias), bv + 0.5 * (v0 - v1).mean(0), rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        _numpy(model.hidden_bias), bh + 0.5 * (p_h0 - p_h1).mean(0), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_dbn_pretrain_and_classifier_carry_the_rbm_weights(framework, krbm):
    module = _module(framework, krbm)
    rng = np.random.default_rng(0)
    x = rng.random((40, 16), dtype=np.float32)
    dbn = module.DeepBeliefNet(layer_sizes=(16, 8, 4))
    history = dbn.pretrain(x, epochs=3, lr=0.1, batch_size=10, seed=0)
    assert len(history) == 2 and all(len(h) == 3 for h in history)
    assert all(np.isfinite(e) and e > 0 for h in history for e in h)
    classifier = dbn.to_classifier(3)
    if framework == "torch":
        linears = [m for m in classifier.features if isinstance(m, torch.nn.Linear)]
        for linear, rbm in zip(linears, dbn.rbms, strict=True):
            torch.testing.assert_close(linear.weight, rbm.weight.T)
            torch.testing.assert_close(linear.bias, rbm.hidden_bias)
        features = classifier.features(torch.as_tensor(x))
        assert classifier(torch.as_tensor(x)).shape == (40, 3)
    else:
        import keras

        for i, rbm in enumerate(dbn.rbms):
            dense = classifier.get_layer(f"dense_{i}")
            np.testing.assert_array_equal(_numpy(dense.kernel), _numpy(rbm.weight))
            np.testing.assert_array_equal(_numpy(dense.bias), _numpy(rbm.hidden_bias))
        features = keras.Model(classifier.input, classifier.get_layer("features").output)(x)
        assert tuple(classifier(x).shape) == (40, 3)
    np.testing.assert_allclose(_numpy(features), _numpy(dbn(x)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_pretraining_is_seeded(framework, krbm):
    module = _module(framework, krbm)
    x = np.random.default_rng(0).random((20, 16), dtype=np.float32)
    runs = []
    for _ in range(2):
        if framework == "torch":
            torch.manual_seed(0)
        else:
            import keras

            keras.utils.set_random_seed(0)
        dbn = module.DeepBeliefNet(layer_sizes=(16, 4))
        runs.append(dbn.pretrain(x, epochs=2, batch_size=5, seed=7))
    assert runs[0] == runs[1]


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_bad_arguments_raise(framework, krbm):
    module = _module(framework, krbm)
    with pytest.raises(ValueError, match="num_visible must be >= 1"):
        module.RBM(num_visible=0)
    with pytest.raises(TypeError):
        module.RBM(num_hidden="8")
    with pytest.raises(ValueError, match="at least 2"):
        module.DeepBeliefNet(layer_sizes=(64,))
    with pytest.raises(TypeError):
        module.DeepBeliefNet(layer_sizes=64)
    rbm = module.RBM(num_visible=16, num_hidden=8)
    v = _tiny_batch()
    with pytest.raises(ValueError, match=r"\(B, 16\)"):
        rbm.transform(v[:, :15])
    with pytest.raises(ValueError, match="k must be >= 1"):
        rbm.contrastive_divergence(v, k=0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        rbm.contrastive_divergence(v, lr=0.0)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        rbm.sample_hidden(v, seed=-1)
    dbn = module.DeepBeliefNet(layer_sizes=(16, 4))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        dbn.pretrain(v * 2, epochs=1)
    with pytest.raises(ValueError, match=r"\(N, 16\)"):
        dbn.pretrain(v[:, :8], epochs=1)
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        dbn.pretrain(v, epochs=0)
    with pytest.raises(ValueError, match="num_classes must be >= 1"):
        dbn.to_classifier(0)
