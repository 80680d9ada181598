"""A Siamese network, the Keras twin of :mod:`dlguide.torch.siamese`.

Bromley et al. (1993), "Signature verification using a 'Siamese' time delay neural network",
NIPS 6, https://papers.nips.cc/paper/1993/hash/288cc0ff022877bd3df94bc9360b9c5d-Abstract.html;
contrastive loss: Hadsell, Chopra & LeCun (2006), https://doi.org/10.1109/CVPR.2006.100;
triplet loss: Schroff et al. (2015), FaceNet, https://arxiv.org/abs/1503.03832.

The embedding network is one functional sub-model (``model.embedding``, whose layers
``"features"`` and ``"head"`` mirror the twin's parts) called on both inputs, so the weights are
shared by construction. Images are channels-last ``(B, image_size, image_size, in_channels)``;
the model takes ``[x1, x2]`` and returns the distances ``(B,)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers, ops

from dlguide._siamese import (
    check_margin,
    check_pair_shapes,
    check_sizes,
    check_triplet_shapes,
)
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Tensor


@keras.saving.register_keras_serializable(package="dlguide")
class EuclideanDistance(ConstructorConfig, layers.Layer):
    """Row-wise Euclidean distance ``[(B, D), (B, D)] -> (B,)``.

    ``eps`` inside the square root keeps the gradient finite when the rows are equal.
    """

    def __init__(self, *, eps: float = 1e-9, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.eps = eps

    def call(self, inputs: Sequence[Tensor]) -> Tensor:
        a, b = inputs
        return ops.sqrt(ops.sum((a - b) ** 2, axis=-1) + self.eps)


def contrastive_loss(d: Tensor, same: Tensor, *, margin: float = 1.0) -> Tensor:
    """Contrastive loss of Hadsell et al. (2006), averaged over the batch.

    ``L = same * d**2 / 2 + (1 - same) * max(0, margin - d)**2 / 2``; ``same = 1`` marks a
    *similar* pair (the paper's ``Y = 0``).

    Args:
        d: Distances of shape ``(B,)``.
        same: 1 for a pair of the same class, 0 otherwise, shape ``(B,)``.
        margin: Distance beyond which dissimilar pairs cost nothing, > 0.

    Returns:
        A scalar tensor.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.siamese import contrastive_loss
        >>> float(contrastive_loss(np.array([0.5, 0.5]), np.array([1.0, 0.0])))
        0.125
    """
    margin = check_margin(margin)
    d = ops.convert_to_tensor(d)
    same = ops.cast(ops.convert_to_tensor(same), d.dtype)
    check_pair_shapes(tuple(d.shape), tuple(same.shape))
    return 0.5 * ops.mean(same * d**2 + (1 - same) * ops.maximum(margin - d, 0.0) ** 2)


def triplet_loss(
    anchor: Tensor, positive: Tensor, negative: Tensor, *, margin: float = 0.5
) -> Tensor:
    """Triplet loss of FaceNet (Schroff et al., 2015), averaged over the batch.

    ``L = max(0, |a - p|**2 - |a - n|**2 + margin)`` with squared Euclidean distances.

    Args:
        anchor: Embeddings ``(B, D)``.
        positive: Embeddings of the same classes as the anchors, ``(B, D)``.
        negative: Embeddings of other classes, ``(B, D)``.
        margin: The required gap between the squared distances, > 0.

    Returns:
        A scalar tensor.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.siamese import triplet_loss
        >>> a, p, n = np.zeros((1, 2)), np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
        >>> float(triplet_loss(a, p, n))
        0.5
    """
    margin = check_margin(margin)
    anchor, positive, negative = (ops.convert_to_tensor(t) for t in (anchor, positive, negative))
    check_triplet_shapes(tuple(anchor.shape), tuple(positive.shape), tuple(negative.shape))
    d_pos = ops.sum((anchor - positive) ** 2, axis=-1)  # (B, D) -> (B,)
    d_neg = ops.sum((anchor - negative) ** 2, axis=-1)
    return ops.mean(ops.maximum(d_pos - d_neg + margin, 0.0))


def embedding_network(*, embedding_dim: int, in_channels: int, image_size: int) -> keras.Model:
    """The shared embedding CNN: ``(B, S, S, C) -> (B, embedding_dim)``."""
    inputs = keras.Input(shape=(image_size, image_size, in_channels))
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="conv_0")(inputs)
    x = layers.MaxPooling2D(2)(x)  # (B, S, S, 16) -> (B, S/2, S/2, 16)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="conv_1")(x)
    x = layers.MaxPooling2D(2)(x)  # -> (B, S/4, S/4, 32)
    x = layers.Flatten()(x)  # -> (B, 32 * (S/4)**2)
    x = layers.Dense(64, activation="relu", name="dense")(x)
    x = layers.Identity(name="features")(x)  # (B, 64): the representation
    # No bias: a constant shift of every embedding cancels in a - b, so it would never learn.
    outputs = layers.Dense(embedding_dim, use_bias=False, name="head")(
        x
    )  # (B, 64) -> (B, embedding_dim)
    return keras.Model(inputs, outputs, name="embedding")


@keras.saving.register_keras_serializable(package="dlguide")
class SiameseNetwork(ConstructorConfig, keras.Model):
    """An embedding CNN with shared weights; ``model([x1, x2])`` is the embeddings' distance.

    Same layers as the twin: ``[3x3 conv -> ReLU -> 2x2 max pool] x 2 -> Flatten -> Dense(64)
    -> ReLU`` (ending in the layer ``"features"``), then ``Dense(embedding_dim)`` without bias
    (``"head"``; a bias cancels in every distance, so it would get no gradient).
    Inputs are channels-last ``(B, image_size, image_size, in_channels)``.

    Args:
        embedding_dim: Size of the embedding.
        in_channels: Channels of the input images.
        image_size: Height and width of the (square) input images, >= 4.

    Raises:
        TypeError: If an argument is not an int.
        ValueError: If a size is not positive, or ``image_size < 4``.

    Example:
        >>> import numpy as np
        >>> from dlguide.keras.siamese import SiameseNetwork
        >>> model = SiameseNetwork()
        >>> model.embed(np.zeros((3, 28, 28, 1))).shape
        TensorShape([3, 32])
        >>> model([np.zeros((3, 28, 28, 1)), np.zeros((3, 28, 28, 1))]).shape
        TensorShape([3])
    """

    def __init__(
        self,
        *,
        embedding_dim: int = 32,
        in_channels: int = 1,
        image_size: int = 28,
        **kwargs: Any,
    ) -> None:
        embedding_dim, in_channels, image_size = check_sizes(embedding_dim, in_channels, image_size)

        embedding = embedding_network(
            embedding_dim=embedding_dim, in_channels=in_channels, image_size=image_size
        )
        x1 = keras.Input(shape=(image_size, image_size, in_channels), name="x1")
        x2 = keras.Input(shape=(image_size, image_size, in_channels), name="x2")
        distance = EuclideanDistance(name="distance")([embedding(x1), embedding(x2)])  # (B,)
        super().__init__(inputs=[x1, x2], outputs=distance, **kwargs)
        self.embedding = embedding

    def embed(self, x: Tensor) -> Tensor:
        """Map images ``(B, S, S, C)`` to embeddings ``(B, embedding_dim)``."""
        return self.embedding(x)
