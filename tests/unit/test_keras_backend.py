"""dlguide.keras keeps a Keras backend the user chose; its TensorFlow-only parts say so clearly.

One subprocess with ``KERAS_BACKEND=torch`` (the backend is fixed when Keras is first imported, so
it cannot be switched inside the test process): importing works without loading TensorFlow, a
plain model trains, a transformer builds and text generation runs, and every part that needs
TensorFlow raises the RuntimeError of ``dlguide.keras._backend`` when it is built or called.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

CHILD = """
import json
import sys

import numpy as np

import dlguide.keras as dk
import keras
from dlguide.keras import distributed

result = {"backend": keras.config.backend(), "tensorflow": "tensorflow" in sys.modules}

keras.utils.set_random_seed(0)
model = dk.MLP(num_inputs=4, num_outputs=2, num_hiddens=(8,))
model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.default_rng(0).standard_normal((8, 4)).astype("float32")
history = model.fit(x, np.arange(8) % 2, batch_size=4, epochs=2, verbose=0)
result["losses"] = [float(loss) for loss in history.history["loss"]]
language_model = dk.CharLanguageModel(vocab_size=5, embedding_dim=4, num_hiddens=4)
result["generated"] = dk.generate(language_model, [0, 1], length=3).tolist()
# A short context: Keras' torch backend traces layers with 83 for an unknown length.
transformer = dk.CharTransformer(
    vocab_size=5, context_length=8, embed_dim=8, num_heads=2, num_layers=1
)
result["transformer"] = list(transformer(np.zeros((2, 8), dtype="int32")).shape)

attempts = {
    "VAE": lambda: dk.VAE(num_inputs=4),
    "GAN": lambda: dk.GAN(
        generator=dk.Generator2D(), discriminator=dk.Discriminator2D(), latent_dim=2
    ),
    "get_device": dk.get_device,
    "train_data_parallel": lambda: distributed.train_data_parallel(
        x, np.arange(8) % 2, ".", num_outputs=2
    ),
}
result["errors"] = {}
for name, attempt in attempts.items():
    try:
        attempt()
    except RuntimeError as error:
        result["errors"][name] = str(error)
print(json.dumps(result))
"""


@pytest.mark.slow
def test_another_backend_is_kept_and_tensorflow_only_parts_say_so():
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["backend"] == "torch"
    assert not result["tensorflow"], "importing dlguide.keras loaded TensorFlow"
    assert len(result["losses"]) == 2
    assert all(loss == loss and loss < 10 for loss in result["losses"])  # finite
    assert len(result["generated"]) == 5
    assert all(0 <= i < 5 for i in result["generated"])
    assert result["transformer"] == [2, 8, 5]

    errors = result["errors"]
    assert sorted(errors) == ["GAN", "VAE", "get_device", "train_data_parallel"]
    assert errors["VAE"] == (
        "dlguide.keras.VAE trains with a TensorFlow GradientTape and needs the TensorFlow "
        "backend; Keras is using 'torch'. Set KERAS_BACKEND=tensorflow before importing keras."
    )
    assert errors["GAN"].startswith("dlguide.keras.GAN trains with a TensorFlow GradientTape")
    for message in errors.values():
        assert "needs the TensorFlow backend; Keras is using 'torch'" in message
