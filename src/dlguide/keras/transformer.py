"""The Transformer encoder written out by hand, the Keras twin of :mod:`dlguide.torch.transformer`.

- Vaswani et al. (2017), "Attention Is All You Need", NeurIPS, https://arxiv.org/abs/1706.03762.
- Dosovitskiy et al. (2021), "An Image is Worth 16x16 Words: Transformers for Image Recognition
  at Scale", ICLR, https://arxiv.org/abs/2010.11929 (the Vision Transformer, ViT).

Attention is computed step by step in a custom layer rather than with
``keras.layers.MultiHeadAttention`` so every line of ``softmax(Q K^T / sqrt(d)) V`` is visible.
Each :class:`MultiHeadSelfAttention` keeps the weights of its last eager call in
``.attention_weights`` (``(B, heads, T, T)``), and :func:`attention_maps` collects them from every
block of a model. The models are functional Keras models built from these layers.

Blocks are *pre-norm* (LayerNorm before attention and before the MLP, as in GPT-2 and ViT).
LayerNorm uses ``epsilon=1e-5`` like PyTorch's (Keras' default is ``1e-3``).
"""

from __future__ import annotations

import math
from typing import Any

import keras
from keras import layers, ops

from dlguide._checks import check_choice, check_positive_int, check_probability
from dlguide._transformer import (
    check_bool,
    check_char_transformer,
    check_heads,
    check_vision_transformer,
)
from dlguide.keras._config import ConstructorConfig
from dlguide.keras._types import Shape, Tensor
from dlguide.keras.sampling import generate

__all__ = [
    "CharTransformer",
    "EncoderBlock",
    "MultiHeadSelfAttention",
    "VisionTransformer",
    "attention_maps",
    "generate",
]

EPSILON = 1e-5  # PyTorch's LayerNorm default


# --- helpers --------------------------------------------------------------------------------


def _is_concrete(tensor: Tensor) -> bool:
    """True for a value computed eagerly (not a symbolic or graph tensor)."""
    if isinstance(tensor, keras.KerasTensor):
        return False
    if keras.config.backend() == "tensorflow":
        import tensorflow as tf

        return tf.executing_eagerly()
    return True


def causal_mask(length: int | Tensor) -> Tensor:
    """A ``(T, T)`` bool mask, True above the diagonal: position ``i`` may not attend to ``j > i``.

    Example:
        >>> import numpy as np
        >>> np.asarray(causal_mask(3)).astype(int)
        array([[0, 1, 1],
               [0, 0, 1],
               [0, 0, 0]])
    """
    return ops.triu(ops.ones((length, length), dtype="bool"), k=1)


# --- blocks ---------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlguide")
class MultiHeadSelfAttention(ConstructorConfig, layers.Layer):
    """Scaled dot-product self-attention with several heads.

    Each position emits a query, a key and a value; the output at a position is the average of
    all values weighted by ``softmax(q . k / sqrt(head_dim))``. ``num_heads`` heads do this in
    parallel on ``embed_dim / num_heads``-wide slices, and a final dense layer mixes them.
    Parameters: ``4 * embed_dim**2 + 4 * embed_dim``, as in the PyTorch twin.

    Args:
        embed_dim: Width of each token vector; divisible by ``num_heads``.
        num_heads: Number of attention heads.
        dropout: Dropout on the attention weights during training, in ``[0, 1)``.
        causal: Mask the future, so position ``t`` attends to positions ``0..t`` only.

    Attributes:
        attention_weights: The weights of the last eager call, ``(B, heads, T, T)``; ``None``
            before the first one (calls inside compiled ``fit``/``predict`` do not set it).
            Rows sum to 1 (before dropout).

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import numpy as np
        >>> attention = MultiHeadSelfAttention(embed_dim=16, num_heads=4, causal=True)
        >>> attention(np.zeros((2, 5, 16))).shape, attention.attention_weights.shape
        (TensorShape([2, 5, 16]), TensorShape([2, 4, 5, 5]))
    """

    def __init__(
        self,
        *,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        causal: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.embed_dim = check_positive_int("embed_dim", embed_dim)
        self.num_heads = check_positive_int("num_heads", num_heads)
        check_heads(embed_dim, num_heads)
        self.causal = check_bool("causal", causal)
        self.rate = check_probability("dropout", dropout)
        self.qkv = layers.Dense(3 * embed_dim, name="qkv")
        self.proj = layers.Dense(embed_dim, name="proj")
        self.dropout = layers.Dropout(self.rate)
        self.attention_weights: Tensor | None = None

    def build(self, input_shape: Shape) -> None:
        self.qkv.build(input_shape)
        self.proj.build(input_shape)

    def call(
        self, x: Tensor, training: bool | None = None, return_attention: bool = False
    ) -> Tensor | tuple[Tensor, Tensor]:
        """Attend; return the output ``(B, T, D)``, or ``(output, weights)`` if asked."""
        if len(x.shape) != 3 or x.shape[-1] != self.embed_dim:
            raise ValueError(
                f"MultiHeadSelfAttention expects input of shape (B, T, {self.embed_dim}), "
                f"got {tuple(x.shape)}"
            )
        T = ops.shape(x)[1]
        D, H = self.embed_dim, self.num_heads
        q, k, v = ops.split(self.qkv(x), 3, axis=-1)  # (B, T, D) -> 3 x (B, T, D)
        # (B, T, D) -> (B, T, H, D/H) -> (B, H, T, D/H)
        q, k, v = (
            ops.transpose(ops.reshape(t, (-1, T, H, D // H)), (0, 2, 1, 3)) for t in (q, k, v)
        )
        scores = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))) / math.sqrt(D // H)  # (B, H, T, T)
        if self.causal:
            scores = ops.where(causal_mask(T), float("-inf"), scores)
        weights = ops.softmax(scores, axis=-1)  # each row sums to 1
        if _is_concrete(weights):
            self.attention_weights = weights
        out = ops.matmul(self.dropout(weights, training=training), v)  # -> (B, H, T, D/H)
        out = ops.reshape(ops.transpose(out, (0, 2, 1, 3)), (-1, T, D))  # -> (B, T, D)
        out = self.proj(out)
        return (out, weights) if return_attention else out

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return input_shape


@keras.saving.register_keras_serializable(package="dlguide")
class EncoderBlock(ConstructorConfig, layers.Layer):
    """A pre-norm Transformer block: ``x + attention(norm(x))``, then ``x + mlp(norm(x))``.

    Args:
        embed_dim: Width of each token vector; divisible by ``num_heads``.
        num_heads: Number of attention heads.
        mlp_ratio: Width of the MLP's hidden layer as a multiple of ``embed_dim``.
        dropout: Dropout on attention weights and after each residual branch, in ``[0, 1)``.
        causal: Mask the future in the attention.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import numpy as np
        >>> EncoderBlock(embed_dim=16, num_heads=2)(np.zeros((2, 5, 16))).shape
        TensorShape([2, 5, 16])
    """

    def __init__(
        self,
        *,
        embed_dim: int,
        num_heads: int,
        mlp_ratio: int = 4,
        dropout: float = 0.0,
        causal: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.mlp_ratio = check_positive_int("mlp_ratio", mlp_ratio)
        self.rate = check_probability("dropout", dropout)
        self.norm1 = layers.LayerNormalization(epsilon=EPSILON, name="norm1")
        self.attention = MultiHeadSelfAttention(
            embed_dim=embed_dim,
            num_heads=num_heads,
            dropout=dropout,
            causal=causal,
            name="attention",
        )
        self.norm2 = layers.LayerNormalization(epsilon=EPSILON, name="norm2")
        self.mlp_in = layers.Dense(mlp_ratio * embed_dim, activation="gelu", name="mlp_in")
        self.mlp_out = layers.Dense(embed_dim, name="mlp_out")
        self.mlp_drop = layers.Dropout(self.rate)
        self.drop = layers.Dropout(self.rate)

    def build(self, input_shape: Shape) -> None:
        for layer in (self.norm1, self.attention, self.norm2, self.mlp_in):
            layer.build(input_shape)
        self.mlp_out.build((*input_shape[:-1], self.mlp_ratio * self.attention.embed_dim))

    def call(self, x: Tensor, training: bool | None = None) -> Tensor:
        x = x + self.drop(self.attention(self.norm1(x), training=training), training=training)
        h = self.mlp_in(self.norm2(x))  # (B, T, D) -> (B, T, r*D), GELU
        x = x + self.mlp_drop(self.mlp_out(h), training=training)  # (B, T, r*D) -> (B, T, D)
        return x

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return input_shape


@keras.saving.register_keras_serializable(package="dlguide")
class PositionEmbedding(ConstructorConfig, layers.Layer):
    """Add a learned vector per position: ``(B, T, D) -> (B, T, D)`` for ``T <= max_length``."""

    def __init__(self, *, max_length: int, embed_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = check_positive_int("max_length", max_length)
        self.embed_dim = check_positive_int("embed_dim", embed_dim)
        self.position = self.add_weight(
            shape=(max_length, embed_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
            name="position",
        )

    def call(self, x: Tensor) -> Tensor:
        self._check_length(tuple(x.shape))
        return x + self.position[: ops.shape(x)[1]]  # (B, T, D) + (T, D)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        # Given here, so that Keras need not trace call() on a placeholder length (its torch
        # backend puts 83 for an unknown T, which the check would reject).
        self._check_length(tuple(input_shape))
        return input_shape

    def _check_length(self, shape: tuple) -> None:
        if isinstance(shape[1], int) and shape[1] > self.max_length:
            raise ValueError(
                f"expected sequences of at most max_length={self.max_length} positions "
                f"(the context length), got input of shape {shape}"
            )


@keras.saving.register_keras_serializable(package="dlguide")
class ClassToken(ConstructorConfig, layers.Layer):
    """Prepend one learned token to every sequence: ``(B, N, D) -> (B, N+1, D)``."""

    def __init__(self, *, embed_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.embed_dim = check_positive_int("embed_dim", embed_dim)
        self.token = self.add_weight(shape=(1, 1, embed_dim), initializer="zeros", name="token")

    def call(self, x: Tensor) -> Tensor:
        token = ops.broadcast_to(self.token, (ops.shape(x)[0], 1, self.embed_dim))  # (B, 1, D)
        return ops.concatenate([token, x], axis=1)


@keras.saving.register_keras_serializable(package="dlguide")
class Pool(ConstructorConfig, layers.Layer):
    """``(B, T, D) -> (B, D)``: the class token's vector (``"cls"``) or the mean of all tokens."""

    def __init__(self, *, pool: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pool = check_choice("pool", pool, ("cls", "mean"))

    def call(self, x: Tensor) -> Tensor:
        return x[:, 0] if self.pool == "cls" else ops.mean(x, axis=1)


# --- models ---------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlguide")
class CharTransformer(ConstructorConfig, keras.Model):
    """A causal character model (a tiny GPT): ``(B, T)`` ids -> ``(B, T, vocab_size)`` logits.

    Token embedding plus learned position embedding, ``num_layers`` causal
    :class:`EncoderBlock`, a final LayerNormalization and a dense head. Position ``t`` sees
    characters ``0..t`` only; sequences may be at most ``context_length`` long. Sample with
    :func:`generate`, which keeps the last ``context_length`` characters. The parameter count
    equals the PyTorch twin's.

    Args:
        vocab_size: Number of distinct characters.
        context_length: Longest sequence the model reads (size of the position table).
        embed_dim: Width of each token vector; divisible by ``num_heads``.
        num_heads: Attention heads per block.
        num_layers: Number of blocks.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import numpy as np
        >>> model = CharTransformer(vocab_size=40, context_length=32)
        >>> model(np.zeros((2, 16), dtype="int32")).shape
        TensorShape([2, 16, 40])
    """

    def __init__(
        self,
        *,
        vocab_size: int,
        context_length: int = 64,
        embed_dim: int = 64,
        num_heads: int = 4,
        num_layers: int = 2,
        **kwargs: Any,
    ) -> None:
        vocab_size, context_length, embed_dim, num_heads, num_layers = check_char_transformer(
            vocab_size, context_length, embed_dim, num_heads, num_layers
        )

        inputs = keras.Input(shape=(None,), dtype="int32")  # (B, T)
        x = layers.Embedding(vocab_size, embed_dim, name="token_embedding")(inputs)  # (B, T, D)
        x = PositionEmbedding(
            max_length=context_length, embed_dim=embed_dim, name="position_embedding"
        )(x)
        for i in range(num_layers):
            x = EncoderBlock(
                embed_dim=embed_dim, num_heads=num_heads, causal=True, name=f"block_{i}"
            )(x)
        x = layers.LayerNormalization(epsilon=EPSILON, name="norm")(x)
        outputs = layers.Dense(vocab_size, name="head")(x)  # (B, T, D) -> (B, T, vocab_size)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.vocab_size = vocab_size
        self.context_length = context_length


@keras.saving.register_keras_serializable(package="dlguide")
class VisionTransformer(ConstructorConfig, keras.Model):
    """A small Vision Transformer (ViT) classifier for ``(B, H, W, C)`` images (channels last).

    Patch embedding (a ``Conv2D`` with stride = kernel = ``patch_size``) reshaped to tokens, a
    class token (``pool="cls"``) or none (``pool="mean"``), learned position embeddings,
    ``num_layers`` :class:`EncoderBlock`, a final LayerNormalization, and the class token's
    vector or the mean over tokens, ending in the layer named ``"features"``
    (``(B, embed_dim)``); the layer named ``"head"`` gives the logits. The PyTorch twin takes
    channels-first ``(B, C, H, W)`` images. The defaults give 105,098 parameters, equal to the
    PyTorch twin.

    Args:
        image_size: Height and width of the (square) images.
        patch_size: Height and width of a patch; must divide ``image_size``.
        in_channels: Channels of the images.
        num_classes: Number of classes.
        embed_dim: Width of each token vector; divisible by ``num_heads``.
        num_heads: Attention heads per block.
        num_layers: Number of blocks.
        pool: ``"cls"`` (read the class token) or ``"mean"`` (average the patch tokens).

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import numpy as np
        >>> model = VisionTransformer()
        >>> model(np.zeros((2, 28, 28, 1))).shape
        TensorShape([2, 10])
    """

    def __init__(
        self,
        *,
        image_size: int = 28,
        patch_size: int = 7,
        in_channels: int = 1,
        num_classes: int = 10,
        embed_dim: int = 64,
        num_heads: int = 4,
        num_layers: int = 2,
        pool: str = "cls",
        **kwargs: Any,
    ) -> None:
        (image_size, patch_size, in_channels, num_classes, embed_dim, num_heads, num_layers) = (
            check_vision_transformer(
                image_size,
                patch_size,
                in_channels,
                num_classes,
                embed_dim,
                num_heads,
                num_layers,
                pool,
            )
        )
        num_patches = (image_size // patch_size) ** 2

        inputs = keras.Input(shape=(image_size, image_size, in_channels))  # (B, H, W, C)
        x = layers.Conv2D(embed_dim, patch_size, strides=patch_size, name="patch_embedding")(inputs)
        x = layers.Reshape((num_patches, embed_dim))(x)  # (B, H/p, W/p, D) -> (B, N, D)
        if pool == "cls":
            x = ClassToken(embed_dim=embed_dim, name="class_token")(x)  # (B, N, D) -> (B, N+1, D)
        x = PositionEmbedding(
            max_length=num_patches + (pool == "cls"), embed_dim=embed_dim, name="position_embedding"
        )(x)
        for i in range(num_layers):
            x = EncoderBlock(embed_dim=embed_dim, num_heads=num_heads, name=f"block_{i}")(x)
        x = layers.LayerNormalization(epsilon=EPSILON, name="norm")(x)
        x = Pool(pool=pool, name="pool")(x)  # (B, N (+1), D) -> (B, D)
        x = layers.Identity(name="features")(x)
        outputs = layers.Dense(num_classes, name="head")(x)  # (B, D) -> (B, num_classes)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


def attention_maps(model: layers.Layer, x: Tensor) -> list[Tensor]:
    """Run ``model`` on ``x`` (eagerly, ``training=False``) and return every block's attention.

    Args:
        model: A :class:`CharTransformer`, a :class:`VisionTransformer`, an
            :class:`EncoderBlock` or a :class:`MultiHeadSelfAttention` (or any model whose
            top-level layers include blocks or attention layers).
        x: A batch of inputs for ``model``.

    Returns:
        One tensor of shape ``(B, heads, T, T)`` per attention layer, first block first. For a
        ViT with a class token, row 0 of each map is where the class token looks.

    Raises:
        TypeError: If ``model`` is not a Keras layer.
        ValueError: If ``model`` has no attention layer.

    Example:
        >>> import numpy as np
        >>> maps = attention_maps(VisionTransformer(), np.zeros((1, 28, 28, 1)))
        >>> len(maps), maps[0].shape
        (2, TensorShape([1, 4, 17, 17]))
    """
    if not isinstance(model, layers.Layer):
        raise TypeError(f"model must be a Keras layer or model, got {type(model).__name__}")
    candidates = [model, *getattr(model, "layers", [])]
    found = []
    for layer in candidates:
        if isinstance(layer, EncoderBlock):
            found.append(layer.attention)
        elif isinstance(layer, MultiHeadSelfAttention):
            found.append(layer)
    if not found:
        raise ValueError(f"{type(model).__name__} has no MultiHeadSelfAttention layer")
    model(x, training=False)
    return [layer.attention_weights for layer in found]
