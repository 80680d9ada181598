"""Train the LeNet that ships with dlguide on the bundled Fashion-MNIST subset.

Trains :class:`dlguide.torch.cnn.LeNet` (28x28, default widths) on the 12,000 bundled training
images with a fixed seed, measures the accuracy on all 10,000 official test images, and writes

* ``src/dlguide/_data/lenet_fashion_mnist.safetensors`` (weights, via
  :func:`dlguide.torch.save_weights`; no pickle), and
* ``src/dlguide/_data/lenet_fashion_mnist.json`` (the LeNet arguments, seed, epochs, batch
  size, learning rate, training-set size and the measured test accuracy).

The shortcut, stated openly: 6 epochs of Adam on 12,000 images, so this runs in under two
minutes on a 2-core CPU (105 s on the shared build machine) and reaches about 87% test accuracy.
Training longer on all 60,000 images would gain a few more points.

Usage::

    python tools/train_pretrained_cnn.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import torch

from dlguide.data.fashion_mnist import load_fashion_mnist
from dlguide.torch.cnn import PRETRAINED_NAME, LeNet
from dlguide.torch.device import seed_everything
from dlguide.torch.serialization import save_weights
from dlguide.torch.training import evaluate, fit

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "dlguide" / "_data"
ARGUMENTS = {
    "image_size": 28,
    "in_channels": 1,
    "num_classes": 10,
    "channels": [16, 32],
    "num_hiddens": 128,
    "dropout": 0.0,
    "kernel_size": 5,
}
SEED = 0
EPOCHS = 6
BATCH_SIZE = 64
LR = 1e-3


def main() -> None:
    torch.set_num_threads(2)
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    x_train, x_test = x_train[:, None], x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28)

    seed_everything(SEED)
    model = LeNet(**ARGUMENTS)
    start = time.perf_counter()
    history = fit(
        model,
        (x_train, y_train),
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        lr=LR,
        device="cpu",
        seed=SEED,
        verbose=False,
    )
    seconds = time.perf_counter() - start
    test = evaluate(model.eval(), (x_test, y_test), device="cpu")

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    save_weights(model, DATA_DIR / f"{PRETRAINED_NAME}.safetensors")
    record = {
        "model": "dlguide.torch.cnn.LeNet",
        "arguments": ARGUMENTS,
        "data": "dlguide.data.load_fashion_mnist() (12,000 balanced training images)",
        "seed": SEED,
        "epochs": EPOCHS,
        "batch_size": BATCH_SIZE,
        "learning_rate": LR,
        "optimizer": "Adam",
        "train_accuracy_last_epoch": round(history["accuracy"][-1], 4),
        "test_images": len(x_test),
        "test_accuracy": test["accuracy"],
        "test_loss": test["loss"],
        "training_seconds": round(seconds, 1),
        "torch_version": torch.__version__,
    }
    (DATA_DIR / f"{PRETRAINED_NAME}.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
