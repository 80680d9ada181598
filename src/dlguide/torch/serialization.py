"""Save and load model weights with safetensors, a format that cannot carry code.

``torch.save``/``torch.load`` use pickle, and unpickling a file can run any code it contains.
safetensors files hold only tensors and a JSON header, so loading one is safe.
"""

from __future__ import annotations

import os

from safetensors.torch import load_file, save_file
from torch import nn

from dlguide._checks import check_path_suffix


def save_weights(model: nn.Module, path: str | os.PathLike) -> None:
    """Write the model's parameters and buffers to a ``.safetensors`` file.

    Args:
        model: Any :class:`torch.nn.Module`.
        path: Destination file; its name must end in ``.safetensors``.

    Raises:
        TypeError: If ``model`` is not a module.
        ValueError: If ``path`` does not end in ``.safetensors``.

    Example:
        >>> import os, tempfile
        >>> import torch
        >>> from dlguide.torch import MLP, load_weights, save_weights
        >>> model = MLP(num_inputs=4, num_outputs=2, num_hiddens=(8,))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "mlp.safetensors")
        ...     save_weights(model, path)
        ...     copy = load_weights(MLP(num_inputs=4, num_outputs=2, num_hiddens=(8,)), path)
        >>> x = torch.randn(3, 4)
        >>> torch.equal(model(x), copy(x))
        True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    path = check_path_suffix(path, ".safetensors")
    state = {
        name: tensor.detach().cpu().contiguous() for name, tensor in model.state_dict().items()
    }
    save_file(state, path)


def load_weights(model: nn.Module, path: str | os.PathLike, *, strict: bool = True) -> nn.Module:
    """Load weights saved by :func:`save_weights` into ``model`` (in place) and return it.

    Args:
        model: A module with the same architecture as the saved one.
        path: A ``.safetensors`` file. Pickle files (``.pt``, ``.pth``) are refused.
        strict: Require the names in the file to match the model's exactly.

    Raises:
        TypeError: If ``model`` is not a module.
        ValueError: If ``path`` is not a safetensors file or does not match the model.

    Example:
        >>> import os, tempfile
        >>> import torch
        >>> from dlguide.torch import MLP, load_weights, save_weights
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "mlp.safetensors")
        ...     save_weights(MLP(num_inputs=4, num_outputs=2), path)
        ...     model = load_weights(MLP(num_inputs=4, num_outputs=2), path)
        >>> model(torch.zeros(1, 4)).shape
        torch.Size([1, 2])
        >>> load_weights(model, "mlp.pt")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: path must be a '.safetensors' file, got 'mlp.pt'; pickle files are refused ...
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    path = os.fspath(path)
    if not path.endswith(".safetensors"):
        raise ValueError(
            f"path must be a '.safetensors' file, got {path!r}; pickle files are refused because "
            "loading them can execute code"
        )
    try:
        state = load_file(path, device="cpu")
    except Exception as error:  # safetensors raises its own SafetensorError on bad headers
        raise ValueError(f"{path!r} is not a valid safetensors file: {error}") from error
    try:
        model.load_state_dict(state, strict=strict)
    except RuntimeError as error:
        raise ValueError(f"weights in {path!r} do not match the model: {error}") from error
    return model
