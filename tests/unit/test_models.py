"""One test walks every model of both frameworks (the registry in ``specs/``).

For each model: the forward output has the documented shape and no NaN; every trainable
parameter receives a finite, non-zero gradient; 60 Adam steps on a tiny batch cut the loss by the
stated factor; weights saved and loaded give identical outputs. Twins have equal parameter counts
unless a difference is stated.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.specs import all_specs

SPECS = all_specs()


def _seed(spec):
    if spec.framework == "torch":
        from dlguide.torch import seed_everything
    else:
        from dlguide.keras import seed_everything
    seed_everything(0)


def _numpy(tensor):
    if hasattr(tensor, "detach"):
        return tensor.detach().cpu().numpy()
    return np.asarray(tensor)


def _count(spec, model) -> int:
    if spec.framework == "torch":
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_forward_shape_and_finite(spec):
    _seed(spec)
    model = spec.build()
    out = _numpy(spec.output(model, spec.batch()))
    assert out.shape == spec.output_shape
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_gradients_reach_every_parameter(spec):
    _seed(spec)
    model = spec.build()
    batch = spec.batch()
    if spec.framework == "torch":
        loss = spec.loss(model, batch)
        loss.backward()
        grads = {name: p.grad for name, p in model.named_parameters() if p.requires_grad}
    else:
        import tensorflow as tf

        spec.output(model, batch)  # build
        with tf.GradientTape() as tape:
            loss = spec.loss(model, batch)
        variables = model.trainable_weights
        grads = dict(zip([v.path for v in variables], tape.gradient(loss, variables), strict=True))
    assert grads, "the model has no trainable parameters"
    for name, grad in grads.items():
        if any(skip in name for skip in spec.no_grad):
            continue
        assert grad is not None, f"{name} got no gradient"
        grad = _numpy(tf.convert_to_tensor(grad) if spec.framework == "keras" else grad)
        assert np.all(np.isfinite(grad)), f"{name} has a non-finite gradient"
        assert np.any(grad != 0), f"{name} has an all-zero gradient"


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_overfits_a_tiny_batch(spec):
    _seed(spec)
    model = spec.build()
    batch = spec.batch()
    if spec.framework == "torch":
        import torch

        optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=spec.lr)
        first = float(spec.loss(model, batch).detach())
        for _ in range(spec.overfit_steps):
            optimizer.zero_grad()
            loss = spec.loss(model, batch)
            loss.backward()
            optimizer.step()
        last = float(spec.loss(model, batch).detach())
    else:
        import keras
        import tensorflow as tf

        spec.output(model, batch)
        optimizer = keras.optimizers.Adam(learning_rate=spec.lr)
        first = float(spec.loss(model, batch))
        for _ in range(spec.overfit_steps):
            with tf.GradientTape() as tape:
                loss = spec.loss(model, batch)
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply_gradients(
                [
                    (g, v)
                    for g, v in zip(grads, model.trainable_weights, strict=True)
                    if g is not None
                ]
            )
        last = float(spec.loss(model, batch))
    assert np.isfinite(last)
    assert last <= first / spec.overfit_factor, f"loss {first:.4g} -> {last:.4g}"


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_save_load_round_trip(spec, tmp_path):
    _seed(spec)
    model = spec.build()
    batch = spec.batch()
    if spec.framework == "torch":
        from dlguide.torch import load_weights, save_weights

        model.eval()
        before = _numpy(spec.output(model, batch))
        save_weights(model, tmp_path / "m.safetensors")
        _seed(spec)
        torch_fresh = spec.build()
        import torch

        with torch.no_grad():
            for p in torch_fresh.parameters():
                p.add_(1.0)  # make sure the load really overwrites
        load_weights(torch_fresh, tmp_path / "m.safetensors").eval()
        after = _numpy(spec.output(torch_fresh, batch))
    else:
        from dlguide.keras import load_weights, save_weights

        before = _numpy(spec.output(model, batch))
        save_weights(model, tmp_path / "m.weights.h5")
        fresh = spec.build()
        spec.output(fresh, batch)
        for w in fresh.trainable_weights:
            w.assign(w + 1.0)
        load_weights(fresh, tmp_path / "m.weights.h5")
        after = _numpy(spec.output(fresh, batch))
    np.testing.assert_array_equal(before, after)


FAMILIES = sorted({s.family for s in SPECS})


@pytest.mark.parametrize("family", FAMILIES)
def test_twins_have_equal_parameter_counts(family):
    twins = {s.framework: s for s in SPECS if s.family == family}
    assert set(twins) == {"torch", "keras"}, f"{family} lacks a twin: has {sorted(twins)}"
    counts = {}
    for framework, spec in twins.items():
        _seed(spec)
        model = spec.build()
        spec.output(model, spec.batch())  # builds lazily-shaped Keras layers
        counts[framework] = _count(spec, model) - spec.param_difference
    assert counts["torch"] == counts["keras"], counts
