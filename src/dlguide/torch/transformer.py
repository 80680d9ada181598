"""The Transformer encoder, written out by hand: self-attention, blocks, a character model, a ViT.

- Vaswani et al. (2017), "Attention Is All You Need", NeurIPS, https://arxiv.org/abs/1706.03762.
- Dosovitskiy et al. (2021), "An Image is Worth 16x16 Words: Transformers for Image Recognition
  at Scale", ICLR, https://arxiv.org/abs/2010.11929 (the Vision Transformer, ViT).

Attention is computed here step by step rather than with ``nn.MultiheadAttention`` so every line
of the formula ``softmax(Q K^T / sqrt(d)) V`` is visible. Each :class:`MultiHeadSelfAttention`
keeps the weights of its last call in ``.attention_weights`` (``(B, heads, T, T)``), and
:func:`attention_maps` collects them from every block of a model.

Blocks are *pre-norm* (LayerNorm before attention and before the MLP, as in GPT-2 and ViT, not
after as in the 2017 paper), which trains more stably without a learning-rate warm-up.
"""

from __future__ import annotations

import math
from typing import cast

import torch
from torch import nn
from torch.nn import functional as F

from dlguide._checks import check_positive_int, check_probability
from dlguide._transformer import (
    check_bool,
    check_char_transformer,
    check_heads,
    check_vision_transformer,
)
from dlguide.torch.sampling import generate

__all__ = [
    "CharTransformer",
    "EncoderBlock",
    "MultiHeadSelfAttention",
    "VisionTransformer",
    "attention_maps",
    "generate",
]


# --- helpers --------------------------------------------------------------------------------


def causal_mask(length: int, device: torch.device | None = None) -> torch.Tensor:
    """A ``(T, T)`` bool mask, True above the diagonal: position ``i`` may not attend to ``j > i``.

    Example:
        >>> causal_mask(3).int()
        tensor([[0, 1, 1],
                [0, 0, 1],
                [0, 0, 0]], dtype=torch.int32)
    """
    return torch.ones(length, length, dtype=torch.bool, device=device).triu(diagonal=1)


# --- blocks ---------------------------------------------------------------------------------


class MultiHeadSelfAttention(nn.Module):
    """Scaled dot-product self-attention with several heads.

    Each position emits a query, a key and a value; the output at a position is the average of
    all values weighted by ``softmax(q . k / sqrt(head_dim))``. ``num_heads`` heads do this in
    parallel on ``embed_dim / num_heads``-wide slices, and a final linear layer mixes them.
    Parameters: ``4 * embed_dim**2 + 4 * embed_dim`` (the q/k/v projection and the output one).

    Args:
        embed_dim: Width of each token vector; divisible by ``num_heads``.
        num_heads: Number of attention heads.
        dropout: Dropout on the attention weights during training, in ``[0, 1)``.
        causal: Mask the future, so position ``t`` attends to positions ``0..t`` only.

    Attributes:
        attention_weights: The weights of the last forward call, ``(B, heads, T, T)``, detached;
            ``None`` before the first call. Rows sum to 1 (before dropout).

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import torch
        >>> attention = MultiHeadSelfAttention(embed_dim=16, num_heads=4, causal=True)
        >>> attention(torch.zeros(2, 5, 16)).shape, attention.attention_weights.shape
        (torch.Size([2, 5, 16]), torch.Size([2, 4, 5, 5]))
    """

    def __init__(
        self, *, embed_dim: int, num_heads: int, dropout: float = 0.0, causal: bool = False
    ) -> None:
        super().__init__()
        self.embed_dim = check_positive_int("embed_dim", embed_dim)
        self.num_heads = check_positive_int("num_heads", num_heads)
        check_heads(embed_dim, num_heads)
        self.causal = check_bool("causal", causal)
        self.qkv = nn.Linear(embed_dim, 3 * embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = nn.Dropout(check_probability("dropout", dropout))
        self.attention_weights: torch.Tensor | None = None

    def forward(
        self, x: torch.Tensor, *, return_attention: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Attend; return the output ``(B, T, D)``, or ``(output, weights)`` if asked."""
        if x.ndim != 3 or x.shape[-1] != self.embed_dim:
            raise ValueError(
                f"MultiHeadSelfAttention expects input of shape (B, T, {self.embed_dim}), "
                f"got {tuple(x.shape)}"
            )
        B, T, D = x.shape
        H = self.num_heads
        q, k, v = self.qkv(x).split(D, dim=-1)  # (B, T, D) -> 3 x (B, T, D)
        # (B, T, D) -> (B, T, H, D/H) -> (B, H, T, D/H)
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(D // H)  # (B, H, T, T)
        if self.causal:
            scores = scores.masked_fill(causal_mask(T, x.device), float("-inf"))
        weights = F.softmax(scores, dim=-1)  # each row sums to 1
        self.attention_weights = weights.detach()
        out = self.dropout(weights) @ v  # (B, H, T, T) @ (B, H, T, D/H) -> (B, H, T, D/H)
        out = out.transpose(1, 2).reshape(B, T, D)  # (B, H, T, D/H) -> (B, T, D)
        out = self.proj(out)
        return (out, weights) if return_attention else out


class EncoderBlock(nn.Module):
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
        >>> import torch
        >>> EncoderBlock(embed_dim=16, num_heads=2)(torch.zeros(2, 5, 16)).shape
        torch.Size([2, 5, 16])
    """

    def __init__(
        self,
        *,
        embed_dim: int,
        num_heads: int,
        mlp_ratio: int = 4,
        dropout: float = 0.0,
        causal: bool = False,
    ) -> None:
        super().__init__()
        embed_dim = check_positive_int("embed_dim", embed_dim)
        mlp_ratio = check_positive_int("mlp_ratio", mlp_ratio)
        dropout = check_probability("dropout", dropout)
        self.norm1 = nn.LayerNorm(embed_dim)
        self.attention = MultiHeadSelfAttention(
            embed_dim=embed_dim, num_heads=num_heads, dropout=dropout, causal=causal
        )
        self.norm2 = nn.LayerNorm(embed_dim)
        self.mlp = nn.Sequential(
            nn.Linear(embed_dim, mlp_ratio * embed_dim),  # (B, T, D) -> (B, T, r*D)
            nn.GELU(),
            nn.Linear(mlp_ratio * embed_dim, embed_dim),  # (B, T, r*D) -> (B, T, D)
            nn.Dropout(dropout),
        )
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop(self.attention(self.norm1(x)))
        x = x + self.mlp(self.norm2(x))
        return x


class PatchEmbedding(nn.Module):
    """Cut an image into patches, embed each, prepend a class token, add position embeddings.

    ``(B, C, H, W) -> (B, N (+1), D)`` with ``N = (H/p) * (W/p)`` patches; the class token is
    added only when ``class_token`` is True.
    """

    def __init__(
        self,
        *,
        image_size: int,
        patch_size: int,
        in_channels: int,
        embed_dim: int,
        class_token: bool,
    ) -> None:
        super().__init__()
        num_patches = (image_size // patch_size) ** 2
        self.proj = nn.Conv2d(in_channels, embed_dim, kernel_size=patch_size, stride=patch_size)
        self.class_token = nn.Parameter(torch.zeros(1, 1, embed_dim)) if class_token else None
        num_tokens = num_patches + (1 if class_token else 0)
        self.position = nn.Parameter(torch.randn(1, num_tokens, embed_dim) * 0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.proj(x)  # (B, C, H, W) -> (B, D, H/p, W/p)
        x = x.flatten(2).transpose(1, 2)  # (B, D, H/p, W/p) -> (B, N, D)
        if self.class_token is not None:
            token = self.class_token.expand(x.shape[0], -1, -1)  # (1, 1, D) -> (B, 1, D)
            x = torch.cat([token, x], dim=1)  # (B, N, D) -> (B, N+1, D)
        return x + self.position


class Pool(nn.Module):
    """``(B, T, D) -> (B, D)``: the class token's vector (``"cls"``) or the mean of all tokens."""

    def __init__(self, pool: str) -> None:
        super().__init__()
        self.pool = pool

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, 0] if self.pool == "cls" else x.mean(dim=1)


# --- models ---------------------------------------------------------------------------------


class CharTransformer(nn.Module):
    """A causal character model (a tiny GPT): ``(B, T)`` ids -> ``(B, T, vocab_size)`` logits.

    Token embedding plus learned position embedding, ``num_layers`` causal
    :class:`EncoderBlock`, a final LayerNorm and a linear head. Position ``t`` sees characters
    ``0..t`` only, so one forward pass trains on every position at once; sequences may be at
    most ``context_length`` long. Sample with :func:`generate`, which keeps the last
    ``context_length`` characters. The default (``vocab_size=V``) has
    ``V*64 + 64*64 + 2*49,984 + 128 + 64*V + V`` parameters, equal to the Keras twin.

    Args:
        vocab_size: Number of distinct characters.
        context_length: Longest sequence the model reads (size of the position table).
        embed_dim: Width of each token vector; divisible by ``num_heads``.
        num_heads: Attention heads per block.
        num_layers: Number of blocks.

    Raises:
        TypeError, ValueError: For arguments of the wrong type or value.

    Example:
        >>> import torch
        >>> model = CharTransformer(vocab_size=40, context_length=32)
        >>> model(torch.zeros(2, 16, dtype=torch.int64)).shape
        torch.Size([2, 16, 40])
    """

    def __init__(
        self,
        *,
        vocab_size: int,
        context_length: int = 64,
        embed_dim: int = 64,
        num_heads: int = 4,
        num_layers: int = 2,
    ) -> None:
        super().__init__()
        vocab_size, context_length, embed_dim, num_heads, num_layers = check_char_transformer(
            vocab_size, context_length, embed_dim, num_heads, num_layers
        )
        self.vocab_size, self.context_length = vocab_size, context_length
        self.token_embedding = nn.Embedding(vocab_size, embed_dim)
        self.position_embedding = nn.Embedding(context_length, embed_dim)
        self.blocks = nn.ModuleList(
            EncoderBlock(embed_dim=embed_dim, num_heads=num_heads, causal=True)
            for _ in range(num_layers)
        )
        self.norm = nn.LayerNorm(embed_dim)
        self.head = nn.Linear(embed_dim, vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if ids.ndim != 2 or not 1 <= ids.shape[1] <= self.context_length:
            raise ValueError(
                f"CharTransformer expects ids of shape (B, T) with 1 <= T <= "
                f"context_length={self.context_length}, got {tuple(ids.shape)}"
            )
        positions = torch.arange(ids.shape[1], device=ids.device)  # (T,)
        x = self.token_embedding(ids) + self.position_embedding(positions)  # (B, T) -> (B, T, D)
        for block in self.blocks:
            x = block(x)  # (B, T, D) -> (B, T, D)
        return self.head(self.norm(x))  # (B, T, D) -> (B, T, vocab_size)


class VisionTransformer(nn.Module):
    """A small Vision Transformer (ViT) classifier for ``(B, C, H, W)`` images.

    ``features``: patch embedding (a convolution with stride = kernel = ``patch_size``), a class
    token (``pool="cls"``) or none (``pool="mean"``), learned position embeddings,
    ``num_layers`` :class:`EncoderBlock`, a final LayerNorm, and the class token's vector or the
    mean over tokens: ``(B, C, H, W) -> (B, embed_dim)``. ``head``: a linear layer to the logits.
    PyTorch images are channels-first ``(B, C, H, W)``; the Keras twin takes ``(B, H, W, C)``.
    The defaults (28x28x1 images, 7x7 patches, 16 patches + a class token) give 105,098
    parameters, equal to the Keras twin.

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
        >>> import torch
        >>> model = VisionTransformer()
        >>> model(torch.zeros(2, 1, 28, 28)).shape, model.features(torch.zeros(2, 1, 28, 28)).shape
        (torch.Size([2, 10]), torch.Size([2, 64]))
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
    ) -> None:
        super().__init__()
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
        self.image_size, self.in_channels = image_size, in_channels
        self.features = nn.Sequential(
            PatchEmbedding(
                image_size=image_size,
                patch_size=patch_size,
                in_channels=in_channels,
                embed_dim=embed_dim,
                class_token=pool == "cls",
            ),  # (B, C, H, W) -> (B, N (+1), D)
            *(EncoderBlock(embed_dim=embed_dim, num_heads=num_heads) for _ in range(num_layers)),
            nn.LayerNorm(embed_dim),
            Pool(pool),  # (B, N (+1), D) -> (B, D)
        )
        self.head = nn.Linear(embed_dim, num_classes)  # (B, D) -> (B, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        expected = (self.in_channels, self.image_size, self.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(
                f"VisionTransformer expects images of shape (B, {', '.join(map(str, expected))}) "
                f"(channels first), got {tuple(x.shape)}"
            )
        return self.head(self.features(x))


@torch.no_grad()
def attention_maps(model: nn.Module, x: torch.Tensor) -> list[torch.Tensor]:
    """Run ``model`` on ``x`` in evaluation mode and return every block's attention weights.

    Args:
        model: Any module containing :class:`MultiHeadSelfAttention` layers (a
            :class:`CharTransformer`, a :class:`VisionTransformer`, a block).
        x: A batch of inputs for ``model``.

    Returns:
        One tensor of shape ``(B, heads, T, T)`` per attention layer, in the order the layers
        were registered (first block first). For a ViT with a class token, row 0 of each map is
        where the class token looks.

    Raises:
        TypeError: If ``model`` is not a module.
        ValueError: If ``model`` has no attention layer.

    Example:
        >>> import torch
        >>> maps = attention_maps(VisionTransformer(), torch.zeros(1, 1, 28, 28))
        >>> len(maps), maps[0].shape
        (2, torch.Size([1, 4, 17, 17]))
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    layers = [m for m in model.modules() if isinstance(m, MultiHeadSelfAttention)]
    if not layers:
        raise ValueError(f"{type(model).__name__} has no MultiHeadSelfAttention layer")
    was_training = model.training
    model.eval()
    try:
        model(x)
    finally:
        model.train(was_training)
    # The call above set every layer's weights (None only before a layer's first call).
    return [cast(torch.Tensor, layer.attention_weights) for layer in layers]
