"""Record the metrics a page reaches, for the site's build report.

A chapter or a gallery example calls :func:`report` once with the numbers it wants readers to see
(``report(test_accuracy=acc)``). The call always prints them. During the docs build it also hands
them to the build report: the build sets ``DLGUIDE_REPORT_FILE`` (and, for gallery examples,
``DLGUIDE_REPORT_SOURCE``), and in a chapter executed by myst-nb each metric is glued under its own
name so the prose can quote it (``{glue:text}`test_accuracy:.1%```).
"""

from __future__ import annotations

import json
import math
import os
import sys

from dlguide._checks import check_float

REPORT_FILE_ENV = "DLGUIDE_REPORT_FILE"
REPORT_SOURCE_ENV = "DLGUIDE_REPORT_SOURCE"


def report(**metrics: float) -> dict[str, float]:
    """Print the key metrics of a page and record them for the build report.

    Args:
        **metrics: Metric names and their finite values, for example
            ``test_accuracy=0.97`` or ``mae=12.5``.

    Returns:
        The metrics as a dict of floats.

    Raises:
        ValueError: If no metric is given, or a value is NaN or infinite.
        TypeError: If a value is not a real number.

    Example:
        >>> import dlguide
        >>> dlguide.report(test_accuracy=0.97)
        test_accuracy: 0.9700
        {'test_accuracy': 0.97}
    """
    if not metrics:
        raise ValueError("report() needs at least one metric, e.g. report(test_accuracy=0.97)")
    values = {name: check_float(name, value) for name, value in metrics.items()}
    for name, value in values.items():
        print(f"{name}: {_shown(value)}")

    path = os.environ.get(REPORT_FILE_ENV)
    if path:
        record = {
            "source": os.environ.get(REPORT_SOURCE_ENV),
            "metrics": values,
            "peak_rss_mb": _peak_rss_mb(),
        }
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(record) + "\n")
    _glue_in_notebook(values)
    return values


def _peak_rss_mb() -> float | None:
    """The peak resident memory of this process so far, in MB (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _glue_in_notebook(values: dict[str, float]) -> None:
    """Glue each metric when running inside a Jupyter kernel that has myst-nb."""
    if "ipykernel" not in sys.modules:
        return
    try:
        from myst_nb import glue
    except ImportError:
        return
    for name, value in values.items():
        glue(name, value if not math.isnan(value) else None, display=False)


def _shown(value: float) -> str:
    """Four decimals, or three significant digits for a value too small to show in four:
    ``1.2e-07`` rather than a ``0.0000`` that would read as exactly zero."""
    return f"{value:.4f}" if value == 0 or abs(value) >= 1e-3 else f"{value:.3g}"


def footer(*, seed: int, device: object, start: float) -> str:
    """Print and return the one-line footer every gallery example ends with.

    It names the seed, the versions of Python, dlguide and the frameworks the script imported,
    the device it ran on and its wall time, so a reader can compare a run of their own.

    Args:
        seed: The seed the script used.
        device: The device it trained on (a ``torch.device``, a TensorFlow device string, ...).
        start: ``time.perf_counter()`` taken when the script started.

    Returns:
        The footer line.

    Example:
        >>> import time, dlguide
        >>> start = time.perf_counter()
        >>> line = dlguide.footer(seed=0, device="cpu", start=start)  # doctest: +ELLIPSIS
        seed 0 | Python ... | dlguide ... | device cpu | ... s
    """
    import platform
    import time

    from dlguide._checks import check_int

    check_int("seed", seed, minimum=0)
    check_float("start", start)
    parts = [f"Python {platform.python_version()}", f"dlguide {_version()}"]
    for name in ("numpy", "torch", "keras", "tensorflow", "sklearn"):
        module = sys.modules.get(name)
        if module is not None and name != "numpy":
            parts.append(f"{name} {getattr(module, '__version__', '?')}")
    line = (
        f"seed {seed} | {', '.join(parts[:1])} | {', '.join(parts[1:])} | device {device} | "
        f"{time.perf_counter() - start:.1f} s"
    )
    print(line)
    return line


def _version() -> str:
    from dlguide import __version__

    return __version__
