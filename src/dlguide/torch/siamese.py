"""A Siamese network: one embedding CNN applied to two inputs, compared by distance.

Bromley, Guyon, LeCun, Saeckinger & Shah (1993), "Signature verification using a 'Siamese'
time delay neural network", NIPS 6,
https://papers.nips.cc/paper/1993/hash/288cc0ff022877bd3df94bc9360b9c5d-Abstract.html.
Contrastive loss: Hadsell, Chopra & LeCun (2006), "Dimensionality Reduction by Learning an
Invariant Mapping", CVPR, https://doi.org/10.1109/CVPR.2006.100. Triplet loss: Schroff,
Kalenichenko & Philbin (2015), "FaceNet: A Unified Embedding for Face Recognition and
Clustering", https://arxiv.org/abs/1503.03832.

Because both inputs go through the *same* weights, the network learns a metric: pictures of the
same class land close together and pictures of different classes far apart, which lets it
verify pairs from classes it never saw in training.

:class:`SiameseNetwork` keeps the usual surface: ``features`` (convolutions up to the last
hidden layer) and ``head`` (the linear map to the embedding), so ``embed(x) =
head(features(x))``; ``forward(x1, x2)`` returns the Euclidean distance of the two embeddings.
"""

from __future__ import annotations

import torch
from torch import nn

from dlguide._siamese import (
    check_margin,
    check_pair_shapes,
    check_sizes,
    check_triplet_shapes,
)


def euclidean_distance(a: torch.Tensor, b: torch.Tensor, *, eps: float = 1e-9) -> torch.Tensor:
    """Row-wise Euclidean distance ``(B, D), (B, D) -> (B,)``.

    ``eps`` inside the square root keeps the gradient finite when the rows are equal.
    """
    return torch.sqrt(((a - b) ** 2).sum(dim=-1) + eps)


def contrastive_loss(d: torch.Tensor, same: torch.Tensor, *, margin: float = 1.0) -> torch.Tensor:
    """Contrastive loss of Hadsell et al. (2006), averaged over the batch.

    ``L = same * d**2 / 2 + (1 - same) * max(0, margin - d)**2 / 2``: pairs of the same class
    are pulled together, pairs of different classes pushed apart until they are ``margin``
    away. Note that here ``same = 1`` marks a *similar* pair (the paper's ``Y = 0``).

    Args:
        d: Distances of shape ``(B,)``.
        same: 1 for a pair of the same class, 0 otherwise, shape ``(B,)``.
        margin: Distance beyond which dissimilar pairs cost nothing, > 0.

    Returns:
        A scalar tensor.

    Example:
        >>> import torch
        >>> from dlguide.torch.siamese import contrastive_loss
        >>> contrastive_loss(torch.tensor([0.5, 0.5]), torch.tensor([1.0, 0.0]))
        tensor(0.1250)
    """
    margin = check_margin(margin)
    check_pair_shapes(tuple(d.shape), tuple(same.shape))
    same = same.to(d.dtype)
    return 0.5 * (same * d**2 + (1 - same) * torch.clamp(margin - d, min=0) ** 2).mean()


def triplet_loss(
    anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor, *, margin: float = 0.5
) -> torch.Tensor:
    """Triplet loss of FaceNet (Schroff et al., 2015), averaged over the batch.

    ``L = max(0, |a - p|**2 - |a - n|**2 + margin)`` with squared Euclidean distances, as in the
    paper: the anchor must be closer to the positive than to the negative by ``margin``.

    Args:
        anchor: Embeddings ``(B, D)``.
        positive: Embeddings of the same classes as the anchors, ``(B, D)``.
        negative: Embeddings of other classes, ``(B, D)``.
        margin: The required gap between the squared distances, > 0.

    Returns:
        A scalar tensor.

    Example:
        >>> import torch
        >>> from dlguide.torch.siamese import triplet_loss
        >>> a, p, n = torch.zeros(1, 2), torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 1.0]])
        >>> triplet_loss(a, p, n)  # max(0, 1 - 1 + 0.5)
        tensor(0.5000)
    """
    margin = check_margin(margin)
    check_triplet_shapes(tuple(anchor.shape), tuple(positive.shape), tuple(negative.shape))
    d_pos = ((anchor - positive) ** 2).sum(dim=-1)  # (B, D) -> (B,)
    d_neg = ((anchor - negative) ** 2).sum(dim=-1)
    return torch.clamp(d_pos - d_neg + margin, min=0).mean()


class SiameseNetwork(nn.Module):
    """An embedding CNN with shared weights; ``forward(x1, x2)`` is the embeddings' distance.

    The embedding network: ``[3x3 conv -> ReLU -> 2x2 max pool] x 2 -> Flatten -> Linear(64)
    -> ReLU`` (``features``), then ``Linear(embedding_dim)`` without bias (``head``; a bias
    shifts both embeddings alike and cancels in every distance, so it would get no gradient).
    Inputs are channels-first ``(B, in_channels, image_size, image_size)``.

    Args:
        embedding_dim: Size of the embedding.
        in_channels: Channels of the input images.
        image_size: Height and width of the (square) input images, >= 4.

    Raises:
        TypeError: If an argument is not an int.
        ValueError: If a size is not positive, or ``image_size < 4``.

    Example:
        >>> import torch
        >>> from dlguide.torch.siamese import SiameseNetwork
        >>> model = SiameseNetwork()
        >>> model.embed(torch.zeros(3, 1, 28, 28)).shape
        torch.Size([3, 32])
        >>> model(torch.zeros(3, 1, 28, 28), torch.zeros(3, 1, 28, 28)).shape
        torch.Size([3])
    """

    def __init__(
        self, *, embedding_dim: int = 32, in_channels: int = 1, image_size: int = 28
    ) -> None:
        super().__init__()
        embedding_dim, self.in_channels, self.image_size = check_sizes(
            embedding_dim, in_channels, image_size
        )
        reduced = self.image_size // 4
        self.features = nn.Sequential(
            nn.Conv2d(
                self.in_channels, 16, kernel_size=3, padding=1
            ),  # (B, C, S, S) -> (B, 16, S, S)
            nn.ReLU(),
            nn.MaxPool2d(2),  # -> (B, 16, S/2, S/2)
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # -> (B, 32, S/4, S/4)
            nn.Flatten(),  # -> (B, 32 * (S/4)**2)
            nn.Linear(32 * reduced * reduced, 64),
            nn.ReLU(),
        )
        # No bias: a constant shift of every embedding cancels in a - b, so it would never learn.
        self.head = nn.Linear(64, embedding_dim, bias=False)  # (B, 64) -> (B, embedding_dim)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Map images ``(B, C, S, S)`` to embeddings ``(B, embedding_dim)``."""
        expected = (self.in_channels, self.image_size, self.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(f"SiameseNetwork expects (B, {expected}), got shape {tuple(x.shape)}")
        return self.head(self.features(x))

    def forward(self, x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
        return euclidean_distance(self.embed(x1), self.embed(x2))  # (B, D), (B, D) -> (B,)
