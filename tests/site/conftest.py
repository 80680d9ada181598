"""Checks of the site built by ``nox -s docs`` (or the tests session) in docs/_build/html."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# DLGUIDE_BUILD_DIR checks another build (e.g. a tools/preview.py one): its docs/_build folder.
BUILD = Path(os.environ.get("DLGUIDE_BUILD_DIR", ROOT / "docs" / "_build"))
HTML = BUILD / "html"


@contextlib.contextmanager
def serve(handler_class: type[http.server.SimpleHTTPRequestHandler]):
    """Serve the built site on a free port of 127.0.0.1 with ``handler_class``; yield its URL."""
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built site in {HTML}: run `nox -s docs` first")
    handler = functools.partial(handler_class, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


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
