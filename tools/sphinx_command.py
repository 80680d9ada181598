"""The one sphinx-build command line of the site: strict, as CI builds it.

``nox -s docs``/``tests``, ``tools/preview.py``, ``tools/bench.py`` and the scratch sites of
tests/build all build with it, so a flag changes in one place.
"""

from __future__ import annotations

from pathlib import Path

# -W: a warning fails the build; --keep-going: report every warning first; -n: every reference
# must resolve; -T: full tracebacks.
STRICT_FLAGS = ("-W", "--keep-going", "-n", "-T")


def sphinx_command(
    python: str, docs: Path, out: Path, *, jobs: str | int = "auto", strict: bool = True
) -> list[str]:
    """The command that builds the HTML site in ``docs`` into ``out`` with ``jobs`` processes."""
    flags = list(STRICT_FLAGS) if strict else ["-T"]
    return [python, "-m", "sphinx", *flags, "-j", str(jobs), "-b", "html", str(docs), str(out)]
