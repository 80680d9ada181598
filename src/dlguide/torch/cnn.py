"""A LeNet-style convolutional network for small grey images (28x28 or 8x8).

LeCun, Bottou, Bengio & Haffner (1998), "Gradient-based learning applied to document
recognition", Proceedings of the IEEE 86(11):2278-2324, https://doi.org/10.1109/5.726791.

The model keeps LeNet's plan -- blocks of convolution, nonlinearity and 2x2 pooling that halve
the image, then fully connected layers -- with today's choices: ReLU instead of a scaled tanh,
max pooling instead of subsampling, and "same" padding so that 8x8 digits still leave a 2x2 map
after two blocks. ``features`` maps images to the last hidden layer, ``head`` maps that to
logits; :func:`feature_maps` returns what each convolutional block sees, and
:func:`pretrained_lenet` loads weights trained on Fashion-MNIST that ship with dlguide.

Images are channels-first, ``(B, C, H, W)``, as everywhere in PyTorch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from importlib import resources

import torch
from torch import nn

from dlguide._checks import check_int_sequence, check_positive_int, check_probability
from dlguide._cnn import PRETRAINED_NAME, check_kernel_size, load_pretrained_config, pooled_size

# --- blocks ------------------------------------------------------------------------------------


def conv_block(in_channels: int, out_channels: int, kernel_size: int) -> nn.Sequential:
    """``Conv2d ("same" padding) -> ReLU -> MaxPool2d(2)``.

    Shapes: (B, C_in, H, W) -> (B, C_out, H/2, W/2).
    """
    return nn.Sequential(
        OrderedDict(
            conv=nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2),
            relu=nn.ReLU(),
            pool=nn.MaxPool2d(2),
        )
    )


# --- model -------------------------------------------------------------------------------------


class LeNet(nn.Module):
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
        >>> import torch
        >>> from dlguide.torch import LeNet
        >>> model = LeNet(image_size=8)
        >>> model(torch.zeros(5, 1, 8, 8)).shape
        torch.Size([5, 10])
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
    ) -> None:
        super().__init__()
        self.image_size = check_positive_int("image_size", image_size)
        self.in_channels = check_positive_int("in_channels", in_channels)
        num_classes = check_positive_int("num_classes", num_classes)
        channels = check_int_sequence("channels", channels, minimum=1, allow_empty=False)
        num_hiddens = check_positive_int("num_hiddens", num_hiddens)
        dropout = check_probability("dropout", dropout)
        kernel_size = check_kernel_size(kernel_size)
        side = pooled_size(self.image_size, len(channels))

        layers: OrderedDict[str, nn.Module] = OrderedDict()
        width = self.in_channels
        for i, out_channels in enumerate(channels):
            layers[f"block{i}"] = conv_block(width, out_channels, kernel_size)  # halves H and W
            width = out_channels
        layers["flatten"] = nn.Flatten()  # (B, C, h, w) -> (B, C*h*w)
        layers["dense"] = nn.Linear(width * side * side, num_hiddens)  # -> (B, num_hiddens)
        layers["relu"] = nn.ReLU()
        if dropout > 0:
            layers["dropout"] = nn.Dropout(dropout)
        self.num_blocks = len(channels)
        self.features = nn.Sequential(layers)  # (B, C, H, W) -> (B, num_hiddens)
        self.head = nn.Linear(num_hiddens, num_classes)  # (B, num_hiddens) -> (B, num_classes)

    def check_input(self, x: torch.Tensor) -> None:
        """Raise a ValueError unless ``x`` is ``(B, in_channels, image_size, image_size)``."""
        expected = (self.in_channels, self.image_size, self.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(
                f"LeNet expects input of shape (B, {', '.join(map(str, expected))}) "
                f"(channels first), got {tuple(x.shape)}"
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.check_input(x)
        return self.head(self.features(x))


@torch.no_grad()
def feature_maps(model: LeNet, x: torch.Tensor) -> list[torch.Tensor]:
    """Return the output of every convolutional block of ``model`` for images ``x``.

    Block ``i`` outputs ``(B, channels[i], H / 2**(i+1), W / 2**(i+1))`` after its ReLU and
    pooling; plotting its channels shows what the network has learned to detect.

    Args:
        model: A :class:`LeNet`.
        x: Images of shape ``(B, in_channels, image_size, image_size)``.

    Returns:
        A list with one tensor per block, computed without gradients.

    Raises:
        TypeError: If ``model`` is not a LeNet or ``x`` is not a tensor.
        ValueError: If ``x`` has the wrong shape.

    Example:
        >>> import torch
        >>> from dlguide.torch import LeNet, feature_maps
        >>> [tuple(m.shape) for m in feature_maps(LeNet(), torch.zeros(2, 1, 28, 28))]
        [(2, 16, 14, 14), (2, 32, 7, 7)]
    """
    if not isinstance(model, LeNet):
        raise TypeError(f"model must be a LeNet, got {type(model).__name__}")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    model.check_input(x)
    maps = []
    for i in range(model.num_blocks):
        x = getattr(model.features, f"block{i}")(x)  # (B, C, H, W) -> (B, C_i, H/2, W/2)
        maps.append(x)
    return maps


def pretrained_lenet(*, device: str | torch.device | None = None) -> LeNet:
    """Return the LeNet trained on Fashion-MNIST that ships with dlguide, in evaluation mode.

    ``tools/train_pretrained_cnn.py`` trained it on the bundled 12,000-image training subset
    (:func:`dlguide.data.load_fashion_mnist`); ``dlguide/_data/lenet_fashion_mnist.json`` holds
    its arguments, seed, epochs and the accuracy it measured on the 10,000 test images. The
    weights are read from a safetensors file (no pickle).

    Args:
        device: ``"cuda"``, ``"mps"``, ``"cpu"``, a :class:`torch.device`, or ``None`` for the CPU.

    Returns:
        A :class:`LeNet` for ``(B, 1, 28, 28)`` images in [0, 1], on ``device``, in eval mode.

    Example:
        >>> from dlguide.torch import pretrained_lenet
        >>> pretrained_lenet().head.out_features
        10
    """
    from dlguide.torch.device import get_device
    from dlguide.torch.serialization import load_weights

    device = device if isinstance(device, torch.device) else get_device(device or "cpu")
    model = LeNet(**load_pretrained_config()["arguments"])
    weights = resources.files("dlguide").joinpath("_data", f"{PRETRAINED_NAME}.safetensors")
    with resources.as_file(weights) as path:
        load_weights(model, path)
    return model.to(device).eval()
