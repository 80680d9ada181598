"""
LeNet on Fashion-MNIST with PyTorch
===================================

A convolutional network reads an image through small filters that slide over it, so it finds a
collar or a heel wherever it sits. We train :class:`dlguide.torch.LeNet`, a small network in
the spirit of LeCun et al. (1998), to sort 28x28 photos of clothing into 10 classes, and compare
it on the 10,000 official test images with logistic regression on the raw pixels. To keep the
page fast we train on the 12,000 images bundled with dlguide (a fifth of the official training
set) for 8 epochs. More data and epochs do better: where the full data set is installed,
``load_fashion_mnist(num_train=60000)`` loads all of it (not measured by this page).
"""

# %%
# Load the data
# -------------
# :func:`dlguide.data.load_fashion_mnist` returns 1,200 training images of each
# class and the complete test set, scaled to [0, 1]; nothing is downloaded. PyTorch wants images
# channels first, so we add a channel axis of size 1.
import time

start = time.perf_counter()

from dlguide.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist

(x_train, y_train), (x_test, y_test) = load_fashion_mnist()
x_train, x_test = x_train[:, None], x_test[:, None]  # (N, 28, 28) -> (N, 1, 28, 28)
print(f"train: {x_train.shape}, test: {x_test.shape}")
print("classes:", ", ".join(FASHION_MNIST_CLASSES))

# %%
# A baseline: logistic regression on pixels
# -----------------------------------------
# A linear model on the 784 pixel values is the classical reference for this data set. It
# knows nothing about neighbouring pixels: shifting a shirt by two pixels gives it a different
# input. We stop it after 100 iterations of its solver (about as good as running to the end).
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # we stop the solver early on purpose
    logistic = LogisticRegression(max_iter=100).fit(x_train.reshape(len(x_train), -1), y_train)
baseline = logistic.score(x_test.reshape(len(x_test), -1), y_test)
print(f"logistic regression on pixels: {baseline:.3f}")

# %%
# Build and train LeNet
# ---------------------
# Two blocks of 5x5 convolution, ReLU and 2x2 max pooling (16 and 32 filters) turn the image
# into 32 maps of 7x7; a hidden layer of 128 units and the output layer follow. Dropout on the
# hidden layer (30%) keeps the network from memorising the small training set. ``fit`` is the
# guide's plain training loop (Adam, cross-entropy).
from dlguide.torch import evaluate, fit, get_device, seed_everything
from dlguide.torch.cnn import LeNet

SEED = 0
seed_everything(SEED)
device = get_device()

model = LeNet(image_size=28, channels=(16, 32), num_hiddens=128, dropout=0.3)
print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")
history = fit(model, (x_train, y_train), epochs=8, lr=2e-3, batch_size=64, device=device)

# %%
# The training curves
# -------------------
# Loss falls and training accuracy climbs every epoch; with more epochs the network would keep
# improving on the training images but gain little on the test set.
from dlguide.plot import plot_history

fig = plot_history(history, title="LeNet on 12,000 Fashion-MNIST images")

# %%
# Test accuracy against the baseline
# ----------------------------------
# All 10,000 test images are new to both models.
import dlguide

test = evaluate(model, (x_test, y_test), device=device)
print(f"LeNet: {test['accuracy']:.3f}   logistic regression: {baseline:.3f}")
dlguide.report(test_accuracy=test["accuracy"], baseline_accuracy=baseline)

# %%
# Which classes get confused?
# ---------------------------
# The confusion matrix counts, for each true class (row), what the network answered (column).
# Shirts, T-shirts, pullovers and coats share outlines and get mixed up; trousers, bags and
# footwear are almost always right.
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay

from dlguide.torch import predict

predicted = predict(model, x_test, device=device).argmax(dim=1).numpy()
fig, ax = plt.subplots(figsize=(6.5, 6))
ConfusionMatrixDisplay.from_predictions(
    y_test,
    predicted,
    display_labels=FASHION_MNIST_CLASSES,
    xticks_rotation=60,
    colorbar=False,
    ax=ax,
)
fig.suptitle("Confusion matrix of LeNet on the 10,000 test images")
fig.tight_layout()

# %%
# Footer
# ------
# The seed, library versions, device and wall time of this run.
dlguide.footer(seed=SEED, device=device, start=start)
