"""dlguide: an executable introduction to deep learning.

The top-level package is framework-neutral and light: ``import dlguide`` imports NumPy only.
The models live in two twin subpackages that import their framework when you import them:
``from dlguide.torch import MLP`` needs ``pip install "dlguide[torch]"``, and
``from dlguide.keras import MLP`` needs ``pip install "dlguide[keras]"``.

>>> import dlguide
>>> dlguide.report(test_accuracy=0.97)
test_accuracy: 0.9700
{'test_accuracy': 0.97}

:mod:`dlguide.data` loads small data sets that ship with the package (nothing downloads),
:mod:`dlguide.plot` draws the figures the guide uses, and :func:`dlguide.report` records the
metrics a page reaches so the site's build report can show them.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from dlguide._report import footer, report

try:  # one source for the version: pyproject.toml, via the installed package's metadata
    __version__ = _version("dlguide")
except PackageNotFoundError:  # pragma: no cover - imported from a source tree never installed
    __version__ = "0+unknown"
del PackageNotFoundError, _version
__all__ = ["__version__", "footer", "report"]
