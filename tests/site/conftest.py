"""Checks of the site built by ``nox -s docs`` (or the tests session) in docs/_build/html."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# DLGUIDE_BUILD_DIR checks another build (e.g. a tools/preview.py one): its docs/_build folder.
BUILD = Path(os.environ.get("DLGUIDE_BUILD_DIR", ROOT / "docs" / "_build"))
HTML = BUILD / "html"


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built site in {HTML}: run `nox -s docs` first")
    return HTML


@pytest.fixture(scope="session")
def report() -> dict:
    path = BUILD / "report.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: the docs build writes it")
    return json.loads(path.read_text(encoding="utf-8"))
