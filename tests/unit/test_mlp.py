"""The MLP twins answer the same call on the same data the same way (issue 13, item 6).

``MLP(num_inputs=64, num_outputs=10)`` takes ``load_digits()`` images as they come, ``(N, 8, 8)``,
and flattens them in both frameworks; input with another number of values per example fails in
both with the same ValueError.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.data import load_digits


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), _ = load_digits()
    return x_train[:256], y_train[:256]  # (256, 8, 8) float32, (256,) int64


def test_torch_mlp_trains_on_8x8_digits(digits):
    from dlguide.torch import MLP, fit

    history = fit(MLP(num_inputs=64, num_outputs=10), digits, epochs=2, device="cpu")
    assert history["loss"][-1] < history["loss"][0]


def test_keras_mlp_trains_on_8x8_digits(digits):
    import keras

    from dlguide.keras import MLP

    model = MLP(num_inputs=64, num_outputs=10)
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(*digits, epochs=2, batch_size=64, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    assert model.predict(digits[0][:5], verbose=0).shape == (5, 10)
    assert model(digits[0][:5].reshape(5, 64)).shape == (5, 10)  # flat rows work too


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_both_twins_reject_the_wrong_number_of_values(framework):
    x = np.zeros((3, 7, 7), dtype=np.float32)
    message = r"MLP expects 64 features per example, got input of shape \(3, 7, 7\)"
    if framework == "torch":
        import torch

        from dlguide.torch import MLP

        with pytest.raises(ValueError, match=message):
            MLP(num_inputs=64, num_outputs=10)(torch.as_tensor(x))
    else:
        from dlguide.keras import MLP

        with pytest.raises(ValueError, match=message):
            MLP(num_inputs=64, num_outputs=10)(x)
