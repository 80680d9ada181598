"""Argument checks shared by every public function.

Each check raises :class:`TypeError` for a value of the wrong kind and :class:`ValueError` for a
value of the right kind but outside what is allowed, and the message names the argument, what was
expected and what came.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import numpy as np

# What the data arguments take: anything ``numpy.asarray`` accepts (lists, arrays, framework
# tensors on the CPU), which :func:`check_array` turns into an array.
ArrayLike: TypeAlias = Any


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {_describe(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` if it is an int >= 1."""
    return check_int(name, value, minimum=1)


def check_float(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number within the bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None:
        if exclusive_minimum and value <= minimum:
            raise ValueError(f"{name} must be > {minimum}, got {value}")
        if not exclusive_minimum and value < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_probability(name: str, value: Any) -> float:
    """Return ``value`` if it is a float in [0, 1)."""
    value = check_float(name, value, minimum=0.0)
    if value >= 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return value


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of the strings in ``choices``."""
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {choices}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_int_sequence(
    name: str, value: Any, *, minimum: int = 1, allow_empty: bool = True
) -> tuple[int, ...]:
    """Return ``value`` as a tuple of ints, each at least ``minimum``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of ints, got {_describe(value)}")
    if not allow_empty and len(value) == 0:
        raise ValueError(f"{name} must not be empty")
    return tuple(check_int(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value))


def check_array(
    name: str,
    value: Any,
    *,
    ndim: int | tuple[int, ...] | None = None,
    finite: bool = True,
    numeric: bool = True,
) -> np.ndarray:
    """Return ``value`` as a NumPy array after checking its dimensions and values.

    Accepts anything ``numpy.asarray`` accepts (lists, arrays, framework tensors on the CPU).
    """
    import numpy as np

    try:
        array = np.asarray(value)
    except Exception as error:
        raise TypeError(f"{name} must be array-like, got {_describe(value)}") from error
    if numeric and not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise TypeError(f"{name} must hold numbers, got an array of dtype {array.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            want = " or ".join(str(n) for n in allowed)
            raise ValueError(f"{name} must have {want} dimensions, got shape {array.shape}")
    if finite and numeric and array.size and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return array


def check_path_suffix(path: str | os.PathLike[str], suffix: str) -> str:
    """Return ``path`` as a string if its name ends in ``suffix`` (``".safetensors"``, ...)."""
    path = os.fspath(path)
    if not path.endswith(suffix):
        raise ValueError(f"path must end in {suffix!r}, got {path!r}")
    return path


def missing_framework(extra: str, module: str) -> ImportError:
    """The error raised when a framework subpackage is used without its framework installed."""
    return ImportError(
        f"dlguide.{extra} needs {module}, which is not installed. "
        f'Install it with: pip install "dlguide[{extra}]"'
    )


# Import names whose pip package is called something else.
_PIP_NAMES = {"skimage": "scikit-image", "sklearn": "scikit-learn", "mlxtend": "mlxtend"}


def missing_extra(module: str, *, extra: str = "examples", needed_by: str = "this") -> ImportError:
    """The one-line error raised when an optional package of an extra is not installed."""
    top = module.split(".")[0]
    package = _PIP_NAMES.get(top, top)
    error = ImportError(
        f"{needed_by} needs {package}, which is not installed. "
        f'Install it with: pip install "dlguide[{extra}]"',
        name=top,
    )
    return error


def optional_import(module: str, *, extra: str = "examples", needed_by: str = "this") -> ModuleType:
    """Import and return ``module``, an optional dependency that the extra ``extra`` installs.

    If the package is missing, raise :func:`missing_extra`'s ImportError, which names the extra
    to install, instead of a bare "No module named ...". An ImportError raised from inside an
    installed package (a broken installation) is left as it is.

    Example:
        >>> from dlguide._checks import optional_import
        >>> optional_import("json").__name__
        'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing != module.split(".")[0]:
            raise
        raise missing_extra(module, extra=extra, needed_by=needed_by) from None
