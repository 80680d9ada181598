"""A LeNet-style convolutional network, the Keras twin of :mod:`dlguide.torch.cnn`.

LeCun, Bottou, Bengio & Haffner (1998), "Gradient-based learning applied to document
recognition", Proceedings of the IEEE 86(11):2278-2324, https://doi.org/10.1109/5.726791.

Same plan as the PyTorch twin: blocks of convolution ("same" padding), ReLU and 2x2 max pooling,
then a fully connected hidden layer (the layer named ``"features"`` ends the representation)
and the classifier (the layer named ``"head"``). :func:`feature_maps` returns each block's
output through a sub-model, and :func:`pretrained_lenet` copies the shipped PyTorch weights into
the Keras layers without importing PyTorch.

Images are channels-last, ``(B, H, W, C)``, as everywhere in Keras.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any

import keras
import numpy as np
from keras import layers

from dlguide._checks import check_array, check_int_sequence, check_positive_int, check_probability
from dlguide._cnn import PRETRAINED_NAME, check_kernel_size, load_pretrained_config, pooled_size
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor

# --- blocks ------------------------------------------------------------------------------------


def conv_block(x: Tensor, out_channels: int, kernel_size: int, *, name: str) -> Tensor:
    """``Conv2D ("same" padding) -> ReLU -> MaxPooling2D(2)``.

    Shapes: (B, H, W, C_in) -> (B, H/2, W/2, C_out).
    """
    x = layers.Conv2D(out_channels, kernel_size, padding="same", name=f"{name}_conv")(x)
    x = layers.ReLU(name=f"{name}_relu")(x)
    return layers.MaxPooling2D(2, name=f"{name}_pool")(x)


# --- model -------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlguide")
class LeNet(ConstructorConfig, keras.Model):
    """A LeNet-style classifier: ``[Conv -> ReLU -> MaxPool] * len(channels) -> Dense -> Dense``.

    Args:
        image_size: Side of the square input images (28 for MNIST, 8 for scikit-learn digits).
        in_channels: Channels of the input images (1 for grey).
        num_classes: Classes, the number of logits.
        channels: Output channels of each convolutional block; each block halves the image.
        num_hiddens: Width of the fully connected hidden layer.
        dropout: Probability of zeroing a hidden unit during training, in ``[0, 1)``.
        kernel_size: Side of the (odd) convolution kernels; padding keeps the size.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive, ``kernel_size`` is even, or the image is too
            small for the number of blocks.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import LeNet
        >>> model = LeNet(image_size=8)
        >>> model(np.zeros((5, 8, 8, 1))).shape
        TensorShape([5, 10])
    """

    def __init__(
        self,
        *,
        image_size: int = 28,
        in_channels: int = 1,
        num_classes: int = 10,
        channels: Sequence[int] = (16, 32),
        num_hiddens: int = 128,
        dropout: float = 0.0,
        kernel_size: int = 5,
        **kwargs: Any,
    ) -> None:
        image_size = check_positive_int("image_size", image_size)
        in_channels = check_positive_int("in_channels", in_channels)
        num_classes = check_positive_int("num_classes", num_classes)
        channels = check_int_sequence("channels", channels, minimum=1, allow_empty=False)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        dropout = check_probability("dropout", dropout)
        kernel_size = check_kernel_size(kernel_size)
        pooled_size(image_size, len(channels))

        inputs = keras.Input(shape=(image_size, image_size, in_channels))
        x = inputs
        for i, out_channels in enumerate(channels):
            x = conv_block(x, out_channels, kernel_size, name=f"block{i}")  # halves H and W
        x = layers.Flatten(name="flatten")(x)  # (B, h, w, C) -> (B, h*w*C)
        x = layers.Dense(num_hiddens, name="dense")(x)  # -> (B, num_hiddens)
        x = layers.ReLU(name="relu")(x)
        if dropout > 0:
            x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Identity(name="features")(x)  # (B, num_hiddens): the learned representation
        outputs = layers.Dense(num_classes, name="head")(x)  # (B, num_hiddens) -> (B, num_classes)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


def feature_maps(model: LeNet, x: Tensor) -> list[Tensor]:
    """Return the output of every convolutional block of ``model`` for images ``x``.

    Block ``i`` outputs ``(B, H / 2**(i+1), W / 2**(i+1), channels[i])`` after its ReLU and
    pooling; plotting its channels shows what the network has learned to detect. The maps come
    from a sub-model that shares the model's layers (inference mode).

    Args:
        model: A :class:`LeNet`.
        x: Images of shape ``(B, image_size, image_size, in_channels)`` (channels last).

    Returns:
        A list with one tensor per block.

    Raises:
        TypeError: If ``model`` is not a LeNet or ``x`` is not numeric.
        ValueError: If ``x`` has the wrong shape.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras import LeNet, feature_maps
        >>> [tuple(m.shape) for m in feature_maps(LeNet(), np.zeros((2, 28, 28, 1)))]
        [(2, 14, 14, 16), (2, 7, 7, 32)]
    """
    if not isinstance(model, LeNet):
        raise TypeError(f"model must be a LeNet, got {type(model).__name__}")
    config = model.get_config()
    x = check_array("x", x, ndim=4)
    expected = (config["image_size"], config["image_size"], config["in_channels"])
    if x.shape[1:] != expected:
        raise ValueError(
            f"LeNet expects input of shape (B, {', '.join(map(str, expected))}) "
            f"(channels last), got {x.shape}"
        )
    outputs = [model.get_layer(f"block{i}_pool").output for i in range(len(config["channels"]))]
    maps = keras.Model(inputs=model.input, outputs=outputs)(x.astype("float32"), training=False)
    return list(maps)


def torch_to_keras_weights(
    state: dict[str, np.ndarray], config: dict[str, Any]
) -> dict[str, list[np.ndarray]]:
    """Convert a PyTorch LeNet state dict (NumPy arrays) to Keras ``layer name -> weights``.

    Conv kernels go from ``(out, in, kh, kw)`` to ``(kh, kw, in, out)`` and dense kernels from
    ``(out, in)`` to ``(in, out)``. The first dense layer also needs its rows reordered: PyTorch
    flattens the last feature map as ``(C, h, w)``, Keras as ``(h, w, C)``.
    """
    weights = {}
    for i in range(len(config["channels"])):
        kernel = state[f"features.block{i}.conv.weight"]  # (out, in, kh, kw)
        weights[f"block{i}_conv"] = [
            kernel.transpose(2, 3, 1, 0),  # -> (kh, kw, in, out)
            state[f"features.block{i}.conv.bias"],
        ]
    side = pooled_size(config["image_size"], len(config["channels"]))
    dense = state["features.dense.weight"]  # (num_hiddens, C*h*w), columns ordered (C, h, w)
    num_hiddens, channels = len(dense), config["channels"][-1]
    dense = dense.reshape(num_hiddens, channels, side, side)  # -> (num_hiddens, C, h, w)
    dense = dense.transpose(2, 3, 1, 0).reshape(-1, num_hiddens)  # -> (h*w*C, num_hiddens)
    weights["dense"] = [dense, state["features.dense.bias"]]
    weights["head"] = [state["head.weight"].T, state["head.bias"]]  # (out, in) -> (in, out)
    return weights


def pretrained_lenet() -> LeNet:
    """Return the Fashion-MNIST LeNet that ships with dlguide, as a Keras model.

    The weights were trained with PyTorch (``tools/train_pretrained_cnn.py``) and are read here
    with :func:`safetensors.numpy.load_file` (no PyTorch, no pickle) and converted to Keras'
    layouts by :func:`torch_to_keras_weights`; the logits match the PyTorch twin's to about
    1e-5. ``dlguide/_data/lenet_fashion_mnist.json`` holds the arguments, seed, epochs and the
    measured test accuracy.

    Returns:
        A :class:`LeNet` for ``(B, 28, 28, 1)`` images in [0, 1] (channels last).

    Example:
        >>> from dlguide.keras import pretrained_lenet
        >>> pretrained_lenet().get_layer("head").units
        10
    """
    from safetensors.numpy import load_file

    config = load_pretrained_config()["arguments"]
    model = LeNet(**config)
    weights = resources.files("dlguide").joinpath("_data", f"{PRETRAINED_NAME}.safetensors")
    with resources.as_file(weights) as path:
        state = load_file(path)
    for name, arrays in torch_to_keras_weights(state, config).items():
        model.get_layer(name).set_weights(arrays)
    return model
