"""
Data-parallel training with tf.distribute
=========================================

TensorFlow's :class:`tf.distribute.MirroredStrategy` (TensorFlow:
:footcite:t:`abadi2016tensorflow`) is the road to data parallelism for Keras on its TensorFlow
backend (Keras 3 also has its own ``keras.distribution`` API, built first for JAX): one
process, one copy (replica) of the model per device, every global batch split among the
replicas and their gradients summed by an all-reduce before each step. Written with Keras, the
model only has to be built and compiled inside ``strategy.scope()``; ``fit`` does the rest. We
split this machine's CPU into two logical devices, train an MLP on the digits with two replicas,
train the same model on one device on the same global batches, and compare the weights. Two
logical CPUs stand in for two GPUs, so the page shows correctness, not speed.
"""

# %%
# Why a separate process
# ----------------------
# Logical devices must be declared with ``tf.config.set_logical_device_configuration`` before
# TensorFlow sets up its devices, which the first TensorFlow operation in a process does. This
# page may run after others that already used TensorFlow, so
# :func:`dlguide.keras.distributed.train_data_parallel` runs the mirrored training in a fresh
# process (``python -m dlguide.keras.distributed``). Its worker does, in essence::
#
#     cpu = tf.config.list_physical_devices("CPU")[0]
#     tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
#     strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
#     with strategy.scope():
#         model = MLP(...); model.compile(optimizer=keras.optimizers.SGD(0.2), ...)
#     model.fit(x, y, batch_size=64, shuffle=False)  # each replica gets 32 of every 64
#
# On a machine with GPUs, ``MirroredStrategy()`` with no arguments uses all of them.

# sphinx_gallery_start_ignore
try:  # run without dlguide installed, say what to install (hidden on the site)
    import dlguide
except ModuleNotFoundError:
    raise SystemExit(
        "This example needs dlguide[torch,keras], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ) from None
# sphinx_gallery_end_ignore
import time

start = time.perf_counter()

import tempfile

import keras

from dlguide.data import load_digits
from dlguide.keras import distributed, get_device

SEED = 0
keras.utils.set_random_seed(SEED)
device = get_device()
(x_train, y_train), (x_test, y_test) = load_digits()
settings = dict(
    num_outputs=10, num_hiddens=(64,), global_batch_size=64, epochs=5, lr=0.2, seed=SEED
)

with tempfile.TemporaryDirectory() as folder:
    mirrored, mirrored_info = distributed.train_data_parallel(
        x_train, y_train, folder, world_size=2, **settings
    )
print(f"replicas on {mirrored_info['devices']}")
print(
    f"MirroredStrategy: training {mirrored_info['seconds']:.1f} s, "
    f"{mirrored_info['wall_seconds']:.1f} s with process start-up"
)

# %%
# The same training on one device
# -------------------------------
# :func:`~dlguide.keras.distributed.train_single_process` builds the model from the same seed and
# fits it on the same global batches, in the same order, here in this page's own process.
single, single_info = distributed.train_single_process(x_train, y_train, **settings)
print(f"one device: training {single_info['seconds']:.1f} s")

# %%
# Are the weights equal?
# ----------------------
# Each replica computes the mean loss over its share and Keras divides it by the number of
# replicas; with equal shares, the summed gradients then equal the gradient of the mean loss
# over the whole global batch. The weights agree up to float32 rounding.
import numpy as np

difference = max(
    float(np.abs(a - b).max())
    for a, b in zip(mirrored.get_weights(), single.get_weights(), strict=True)
)
print(f"largest difference between the two models' weights: {difference:.2e}")

# %%
# Training curves and timings
# ---------------------------
# The loss per epoch of the two runs lies on one curve. Both timings include tracing the
# training step into a TensorFlow graph; the mirrored one also pays for the all-reduce and for
# splitting every batch, on cores that both replicas share (with other jobs, on the machine that
# built this page). One run on a shared CPU says nothing about the speed-up of two real GPUs.
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
epochs = np.arange(1, settings["epochs"] + 1)
left.plot(epochs, single_info["losses"], "o-", label="one device")
left.plot(epochs, mirrored_info["losses"], "x--", markersize=10, label="2 replicas")
left.set(xlabel="epoch", ylabel="training loss", title="Same curve")
left.legend()
left.grid(alpha=0.3)
names = ["one device", "2 replicas", "2 replicas\n(with start-up)"]
seconds = [single_info["seconds"], mirrored_info["seconds"], mirrored_info["wall_seconds"]]
right.bar(names, seconds, color=["C0", "C1", "C1"])
right.set(ylabel="seconds", title="Time on this machine's CPU")
fig.tight_layout()

# %%
# The key numbers
# ---------------
# Both models reach the same accuracy on the test images, next to a majority-class baseline.
import dlguide

mirrored.compile(
    metrics=["accuracy"], loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
)
single.compile(
    metrics=["accuracy"], loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
)
print(f"{len(x_test)} test images")
mirrored_accuracy = mirrored.evaluate(x_test, y_test, verbose=0)[1]
single_accuracy = single.evaluate(x_test, y_test, verbose=0)[1]
baseline = np.mean(y_test == np.bincount(y_train).argmax())
dlguide.report(
    max_weight_difference=difference,
    mirrored_test_accuracy=mirrored_accuracy,
    single_device_test_accuracy=single_accuracy,
    baseline_accuracy=baseline,
    mirrored_seconds=mirrored_info["seconds"],
    single_device_seconds=single_info["seconds"],
)

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
plt.show()


# %%
# References
# ----------
#
# .. footbibliography::
