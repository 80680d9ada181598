"""A capsule network with dynamic routing, the Keras twin of :mod:`dlguide.torch.capsule`.

Sabour, Frosst & Hinton (2017), "Dynamic Routing Between Capsules", NeurIPS,
https://arxiv.org/abs/1710.09829.

Same shrunken network as the twin (32-channel 9x9 conv, 8 primary capsule types of 8D from a
9x9 stride-2 conv, 10 digit capsules of 16D, 3 routing iterations), as a functional model whose
capsule steps are small registered layers (:class:`PrimaryCapsules`, :class:`DigitCapsules`,
``CapsuleLength``). Images are channels-last ``(B, image_size, image_size, in_channels)``.
The layer ``"features"`` ends at the flattened primary capsules ``(B, N, 8)`` and the last
layer, ``"head"``, outputs the capsule lengths ``(B, num_classes)`` in [0, 1), which are scores,
not logits: train with :func:`margin_loss`.

The reconstruction decoder is off by default; with ``reconstruction=True`` the model gains a
``decoder`` and :meth:`CapsuleNet.reconstruct`, and calling the model still returns the scores.
"""

from __future__ import annotations

from typing import Any

import keras
from keras import layers, ops

from dlguide._capsule import check_capsule_net, check_margins, primary_grid
from dlguide._checks import check_positive_int
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Shape, Tensor


def squash(s: Tensor, *, axis: int = -1, eps: float = 1e-8) -> Tensor:
    """Shrink vectors to a length in [0, 1), keeping their direction (Sabour et al., eq. 1).

    Example:
        >>> import numpy as np
        >>> from keras import ops
        >>> from dlguide.keras.capsule import squash
        >>> round(float(ops.norm(squash(np.array([[3.0, 4.0]])), axis=-1)[0]), 4)  # 25 / 26
        0.9615
    """
    squared = ops.sum(s**2, axis=axis, keepdims=True)
    return squared / (1 + squared) * s / ops.sqrt(squared + eps)


def dynamic_routing(u_hat: Tensor, iterations: int = 3) -> tuple[Tensor, Tensor]:
    """Routing by agreement (Sabour et al., Procedure 1).

    Args:
        u_hat: Predictions of every input capsule for every output capsule,
            ``(B, N_in, N_out, D_out)``.
        iterations: Routing iterations, >= 1.

    Returns:
        ``(v, c)``: the output capsules ``(B, N_out, D_out)`` and the coupling coefficients
        ``(B, N_in, N_out)`` of the last iteration, which sum to 1 over the output capsules.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.capsule import dynamic_routing
        >>> v, c = dynamic_routing(np.random.randn(2, 5, 3, 4).astype("float32"))
        >>> tuple(v.shape), tuple(c.shape)
        ((2, 3, 4), (2, 5, 3))
    """
    iterations = check_positive_int("iterations", iterations)
    u_hat = ops.convert_to_tensor(u_hat)
    b = ops.zeros_like(u_hat[..., 0])  # (B, N_in, N_out)
    for r in range(iterations):
        c = ops.softmax(b, axis=2)  # each input capsule splits its vote over the outputs
        s = ops.sum(ops.expand_dims(c, -1) * u_hat, axis=1)  # (B, N_in, N_out, D) -> (B, N_out, D)
        v = squash(s)
        if r < iterations - 1:
            b = b + ops.sum(u_hat * ops.expand_dims(v, 1), axis=-1)  # agreement: (B, N_in, N_out)
    return v, c


def margin_loss(
    lengths: Tensor,
    labels: Tensor,
    *,
    m_plus: float = 0.9,
    m_minus: float = 0.1,
    down_weight: float = 0.5,
) -> Tensor:
    """Margin loss of Sabour et al. (eq. 4), summed over classes and averaged over the batch.

    ``L_k = T_k max(0, m+ - |v_k|)**2 + down_weight (1 - T_k) max(0, |v_k| - m-)**2``.

    Args:
        lengths: Capsule lengths (class scores) ``(B, num_classes)``.
        labels: Integer class labels ``(B,)``.
        m_plus: The true class's length should exceed this.
        m_minus: The other classes' lengths should stay below this.
        down_weight: Weight of the absent-class term (the paper's lambda).

    Returns:
        A scalar tensor.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.capsule import margin_loss
        >>> float(margin_loss(np.array([[0.95, 0.05]]), np.array([0])))
        0.0
    """
    m_plus, m_minus, down_weight = check_margins(m_plus, m_minus, down_weight)
    lengths = ops.convert_to_tensor(lengths)
    targets = ops.one_hot(ops.cast(labels, "int32"), lengths.shape[-1], dtype=lengths.dtype)
    present = targets * ops.maximum(m_plus - lengths, 0.0) ** 2
    absent = down_weight * (1 - targets) * ops.maximum(lengths - m_minus, 0.0) ** 2
    return ops.mean(ops.sum(present + absent, axis=-1))


@keras.saving.register_keras_serializable(package="dlguide")
class PrimaryCapsules(ConstructorConfig, layers.Layer):
    """A convolution whose output channels are grouped into capsules, then squashed.

    ``(B, H, W, C) -> (B, num_types * H' * W', capsule_dim)``, capsules in the twin's order.

    Args:
        num_types: Capsule types (the paper's 32).
        capsule_dim: Length of each capsule vector (the paper's 8).
        kernel_size: Convolution kernel size.
        stride: Convolution stride.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.capsule import PrimaryCapsules
        >>> layer = PrimaryCapsules(num_types=4, capsule_dim=8)
        >>> x = np.random.default_rng(0).normal(size=(2, 20, 20, 1)).astype("float32")
        >>> capsules = np.asarray(layer(x))  # 9x9 kernel, stride 2: 6x6 positions
        >>> capsules.shape  # 4 types x 6 x 6 positions = 144 capsules of length 8
        (2, 144, 8)
        >>> bool((np.linalg.norm(capsules, axis=-1) < 1).all())  # squashed: every length below 1
        True
    """

    def __init__(
        self,
        *,
        num_types: int,
        capsule_dim: int,
        kernel_size: int = 9,
        stride: int = 2,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_types = check_positive_int("num_types", num_types)
        self.capsule_dim = check_positive_int("capsule_dim", capsule_dim)
        self.kernel_size = check_positive_int("kernel_size", kernel_size)
        self.stride = check_positive_int("stride", stride)
        self.conv = layers.Conv2D(num_types * capsule_dim, kernel_size, strides=stride, name="conv")

    def build(self, input_shape: Shape) -> None:
        self.conv.build(input_shape)

    def call(self, x: Tensor) -> Tensor:
        x = self.conv(x)  # (B, H, W, C) -> (B, H', W', T*D)
        h, w = x.shape[1], x.shape[2]
        x = ops.reshape(x, (-1, h, w, self.num_types, self.capsule_dim))  # -> (B, H', W', T, D)
        x = ops.transpose(x, (0, 3, 1, 2, 4))  # -> (B, T, H', W', D)
        x = ops.reshape(x, (-1, self.num_types * h * w, self.capsule_dim))  # -> (B, T*H'*W', D)
        return squash(x)


@keras.saving.register_keras_serializable(package="dlguide")
class DigitCapsules(ConstructorConfig, layers.Layer):
    """One output capsule per class, computed from all input capsules by dynamic routing.

    ``(B, num_in_capsules, in_dim) -> (B, num_out_capsules, out_dim)``.

    Args:
        num_in_capsules: Number of input (primary) capsules.
        in_dim: Length of an input capsule.
        num_out_capsules: Number of output capsules (classes).
        out_dim: Length of an output capsule (the paper's 16).
        routing_iterations: Iterations of :func:`dynamic_routing` (the paper's 3).

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.capsule import DigitCapsules
        >>> layer = DigitCapsules(num_in_capsules=6, in_dim=8, num_out_capsules=10, out_dim=16)
        >>> layer(np.random.randn(2, 6, 8).astype("float32")).shape
        TensorShape([2, 10, 16])
    """

    def __init__(
        self,
        *,
        num_in_capsules: int,
        in_dim: int,
        num_out_capsules: int,
        out_dim: int,
        routing_iterations: int = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_in_capsules = check_positive_int("num_in_capsules", num_in_capsules)
        self.in_dim = check_positive_int("in_dim", in_dim)
        self.num_out_capsules = check_positive_int("num_out_capsules", num_out_capsules)
        self.out_dim = check_positive_int("out_dim", out_dim)
        self.routing_iterations = check_positive_int("routing_iterations", routing_iterations)
        # One (out_dim x in_dim) matrix per (input capsule, output capsule) pair.
        self.weight = self.add_weight(
            shape=(num_in_capsules, num_out_capsules, out_dim, in_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.01),
            name="weight",
        )

    def routing(self, u: Tensor) -> tuple[Tensor, Tensor]:
        """Return ``(v, c)``: output capsules and coupling coefficients, as in routing."""
        if len(u.shape) != 3 or tuple(u.shape[1:]) != (self.num_in_capsules, self.in_dim):
            raise ValueError(
                f"DigitCapsules expects (B, {self.num_in_capsules}, {self.in_dim}), "
                f"got shape {tuple(u.shape)}"
            )
        u_hat = ops.einsum(
            "ijdk,bik->bijd", self.weight, u
        )  # (B, N_in, D_in) -> (B, N_in, N_out, D_out)
        return dynamic_routing(u_hat, self.routing_iterations)

    def call(self, u: Tensor) -> Tensor:
        return self.routing(u)[0]

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (input_shape[0], self.num_out_capsules, self.out_dim)


@keras.saving.register_keras_serializable(package="dlguide")
class CapsuleLength(layers.Layer):
    """Capsule lengths as class scores: ``(B, K, D) -> (B, K)``."""

    def call(self, v: Tensor) -> Tensor:
        return ops.sqrt(ops.sum(v**2, axis=-1) + 1e-9)


@keras.saving.register_keras_serializable(package="dlguide")
class CapsuleNet(ConstructorConfig, keras.Model):
    """A small CapsNet: conv -> primary capsules -> digit capsules (routing) -> lengths.

    Inputs are channels-last ``(B, image_size, image_size, in_channels)``; the output is the
    length of each class capsule, ``(B, num_classes)``, in [0, 1).

    Args:
        num_classes: Classes, one digit capsule each.
        image_size: Height and width of the (square) input images.
        in_channels: Channels of the input images.
        conv_channels: Channels of the first 9x9 convolution (paper: 256).
        primary_types: Primary capsule types (paper: 32).
        primary_dim: Length of a primary capsule (paper: 8).
        digit_dim: Length of a digit capsule (paper: 16).
        routing_iterations: Routing iterations (paper: 3).
        reconstruction: Add the decoder ``(num_classes * digit_dim) -> 256 -> 512 -> image``
            used by :meth:`reconstruct` (paper: 512 -> 1024).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is not positive, or the image is too small for the two 9x9
            convolutions (``image_size < 17``).

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.capsule import CapsuleNet
        >>> CapsuleNet()(np.zeros((2, 28, 28, 1))).shape
        TensorShape([2, 10])
    """

    def __init__(
        self,
        *,
        num_classes: int = 10,
        image_size: int = 28,
        in_channels: int = 1,
        conv_channels: int = 32,
        primary_types: int = 8,
        primary_dim: int = 8,
        digit_dim: int = 16,
        routing_iterations: int = 3,
        reconstruction: bool = False,
        **kwargs: Any,
    ) -> None:
        num_classes, image_size, in_channels, conv_channels = check_capsule_net(
            num_classes, image_size, in_channels, conv_channels, reconstruction
        )
        grid = primary_grid(image_size)  # 9x9 conv, then 9x9 stride-2 conv

        inputs = keras.Input(shape=(image_size, image_size, in_channels))
        x = layers.Conv2D(conv_channels, 9, activation="relu", name="conv")(
            inputs
        )  # -> (B, S-8, S-8, 32)
        x = PrimaryCapsules(
            num_types=primary_types, capsule_dim=primary_dim, name="primary_capsules"
        )(x)
        x = layers.Identity(name="features")(x)  # (B, T * grid * grid, primary_dim)
        x = DigitCapsules(
            num_in_capsules=primary_types * grid * grid,
            in_dim=primary_dim,
            num_out_capsules=num_classes,
            out_dim=digit_dim,
            routing_iterations=routing_iterations,
            name="digit_capsules",
        )(x)  # -> (B, num_classes, digit_dim)
        outputs = CapsuleLength(name="head")(x)  # -> (B, num_classes)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.num_classes = num_classes

        self.decoder = None
        if reconstruction:
            self.decoder = keras.Sequential(
                [
                    keras.Input(shape=(num_classes * digit_dim,)),
                    layers.Dense(256, activation="relu"),
                    layers.Dense(512, activation="relu"),
                    layers.Dense(in_channels * image_size**2, activation="sigmoid"),
                ],
                name="decoder",
            )

    def reconstruct(self, x: Tensor, labels: Tensor | None = None) -> Tensor:
        """Redraw the images from the digit capsule of ``labels`` (default: the predicted class).

        All other digit capsules are masked to zero before the decoder, as in the paper.
        Returns images shaped like ``x``, in [0, 1]. Needs ``reconstruction=True``.
        """
        if self.decoder is None:
            raise ValueError("reconstruct needs a model built with reconstruction=True")
        x = ops.convert_to_tensor(x)
        u = self.get_layer("primary_capsules")(self.get_layer("conv")(x))
        v = self.get_layer("digit_capsules")(u)  # (B, K, D)
        num_classes = self.num_classes
        if labels is None:
            labels = ops.argmax(ops.sum(v**2, axis=-1), axis=-1)
        mask = ops.one_hot(ops.cast(labels, "int32"), num_classes, dtype=v.dtype)  # (B,) -> (B, K)
        flat = ops.reshape(
            v * ops.expand_dims(mask, -1), (-1, num_classes * v.shape[-1])
        )  # -> (B, K*D)
        return ops.reshape(self.decoder(flat), ops.shape(x))  # (B, S*S*C) -> (B, S, S, C)
