"""Property-based tests: public constructors and data loaders reject bad input with the
documented error (TypeError for the wrong kind, ValueError for a wrong value), never a crash or
a framework's own exception.

The constructors are found by introspection: every model class exported by ``dlguide.torch`` and
``dlguide.keras``; each ``int`` argument is driven with negative numbers, floats, NaN, strings,
booleans and ``None``.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Arguments a constructor needs (no default), with a valid value. A class that needs one not
# listed here (the Keras GAN, built from two networks) is left out.
REQUIRED = {
    "num_inputs": 8,
    "num_outputs": 3,
    "num_classes": 3,
    "vocab_size": 12,
    "embed_dim": 8,
    "num_heads": 2,
    "in_channels": 1,
    "out_channels": 4,
    "num_types": 2,
    "capsule_dim": 4,
    "num_in_capsules": 8,
    "in_dim": 4,
    "num_out_capsules": 3,
    "out_dim": 4,
}

BAD_INTS = st.one_of(
    st.integers(max_value=-1),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not float(f).is_integer()),
    st.just(float("nan")),
    st.text(max_size=3),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


def _constructors(framework: str):
    if framework == "torch":
        from torch import nn

        import dlguide.torch as package

        base = nn.Module
    else:
        import keras

        import dlguide.keras as package

        base = (keras.Model, keras.layers.Layer)
    found = []
    for name in package.__all__:
        obj = getattr(package, name)
        if inspect.isclass(obj) and issubclass(obj, base):
            found.append(obj)
    return found


def _int_arguments(cls):
    signature = inspect.signature(cls.__init__)
    required, ints = {}, []
    for name, parameter in signature.parameters.items():
        if name in ("self", "args", "kwargs") or parameter.kind in (
            parameter.VAR_KEYWORD,
            parameter.VAR_POSITIONAL,
        ):
            continue
        if parameter.default is inspect.Parameter.empty:
            if name not in REQUIRED:
                return None, []
            required[name] = REQUIRED[name]
        annotation = str(parameter.annotation)
        if annotation in ("int", "<class 'int'>"):
            ints.append(name)
    return required, ints


CASES = []
for framework in ("torch", "keras"):
    for cls in _constructors(framework):
        required, ints = _int_arguments(cls)
        if required is None:
            continue
        CASES += [(framework, cls, required, name) for name in ints]


def test_the_introspection_found_the_model_families():
    classes = {(f, c.__name__) for f, c, _, _ in CASES}
    for name in ("MLP", "LeNet", "ResNet", "UNet", "VAE", "CapsuleNet", "SRCNN", "RBM"):
        assert ("torch", name) in classes and ("keras", name) in classes, name


@pytest.mark.parametrize(
    ("framework", "cls", "required", "argument"),
    CASES,
    ids=[f"{f}-{c.__name__}-{a}" for f, c, _, a in CASES],
)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad=BAD_INTS)
def test_constructors_reject_bad_ints(framework, cls, required, argument, bad):
    kwargs = {**required, argument: bad}
    with pytest.raises((TypeError, ValueError)) as info:
        cls(**kwargs)
    assert argument in str(info.value) or "must" in str(info.value), str(info.value)


# -- data loaders and helpers --------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    fraction=st.one_of(
        st.floats(max_value=0.0),
        st.floats(min_value=1.0),
        st.just(math.nan),
        st.text(max_size=2),
        st.none(),
    )
)
def test_load_digits_rejects_bad_fractions(fraction):
    from dlguide.data import load_digits

    with pytest.raises((TypeError, ValueError)):
        load_digits(test_fraction=fraction)


@settings(max_examples=25, deadline=None)
@given(n=BAD_INTS)
def test_make_shapes_rejects_bad_counts(n):
    from dlguide.data import make_shapes

    with pytest.raises((TypeError, ValueError)):
        make_shapes(n)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.integers(min_value=1, max_value=6),
    cols=st.integers(min_value=1, max_value=4),
    where=st.integers(min_value=0, max_value=23),
    value=st.sampled_from([np.nan, np.inf, -np.inf]),
)
def test_to_loader_rejects_non_finite_inputs(rows, cols, where, value):
    from dlguide.torch import to_loader

    x = np.zeros((rows, cols), dtype=np.float32)
    x.flat[where % x.size] = value
    with pytest.raises(ValueError, match="finite"):
        to_loader(x, np.zeros(rows, dtype=np.int64))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=8), m=st.integers(min_value=1, max_value=8))
def test_to_loader_rejects_mismatched_lengths(n, m):
    from dlguide.torch import to_loader

    x, y = np.zeros((n, 2)), np.zeros(m)
    if n == m:
        assert len(to_loader(x, y).dataset) == n
    else:
        with pytest.raises(ValueError, match="one target per example"):
            to_loader(x, y)


@settings(max_examples=15, deadline=None)
@given(text=st.text(min_size=1, max_size=5))
def test_to_loader_rejects_non_numeric_arrays(text):
    from dlguide.torch import to_loader

    with pytest.raises(TypeError):
        to_loader(np.array([text, text]))


@settings(max_examples=25, deadline=None)
@given(window=BAD_INTS)
def test_make_windows_rejects_bad_windows(window):
    from dlguide.data import make_windows

    with pytest.raises((TypeError, ValueError)):
        make_windows(np.arange(50, dtype=np.float32), window)


@settings(max_examples=25, deadline=None)
@given(
    std=st.one_of(
        st.floats(max_value=-1e-9), st.just(math.nan), st.just(math.inf), st.text(max_size=2)
    )
)
def test_add_noise_rejects_bad_std(std):
    from dlguide.data import add_noise

    with pytest.raises((TypeError, ValueError)):
        add_noise(np.zeros((2, 4, 4), dtype=np.float32), std=std)


@settings(max_examples=25, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    other=st.tuples(st.integers(1, 5), st.integers(1, 5)),
)
def test_psnr_rejects_mismatched_shapes(shape, other):
    from dlguide.metrics import psnr

    a, b = np.zeros(shape), np.zeros(other)
    if shape == other:
        assert psnr(a, b) == math.inf
    else:
        with pytest.raises(ValueError, match="differ in shape"):
            psnr(a, b)
