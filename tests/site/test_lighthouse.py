"""Readers' pages are fast, accessible and well-formed: Lighthouse scores them >= 0.9.

Lighthouse (from npm, pinned in package.json) runs in its default mobile profile against
Debian's Chromium, on four kinds of page: the index, a chapter with math, a gallery page and an
API page. The site is served with gzip compression, as a static host serves it (Python's
http.server sends files uncompressed). Scores are printed and written to
docs/_build/lighthouse.json for the benchmark.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.site, pytest.mark.browser]

from tests.site.conftest import HTML, ROOT, serve

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "index": "index.html",
    "math chapter": "chapters/how-networks-learn.html",
    "gallery page": "auto_examples/basics/plot_mlp_digits.html",
    "API page": "api/generated/dlguide.torch.MLP.html",
}
COMPRESSIBLE = {".html", ".css", ".js", ".svg", ".json", ".txt", ".xml", ".map"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site, gzipping text as a static host would."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        import io

        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def handle(self):
        # Chromium drops connections it no longer needs; that is not an error of the site.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def log_message(self, format, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def gzip_server():
    with serve(GzipHandler) as url:
        yield url


def _lighthouse(url: str, out: Path) -> dict[str, float]:
    flags = (
        "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync"
    )
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, timeout=240, capture_output=True)
    result = json.loads(out.read_text(encoding="utf-8"))
    return {name: result["categories"][name]["score"] for name in CATEGORIES}


def test_lighthouse_scores_every_kind_of_page_at_least_0_9(gzip_server, tmp_path):
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse is missing: run `npm ci` in the repository (nox -s tests does)")
    scores = {}
    for label, page in PAGES.items():
        assert (HTML / page).exists(), f"{page} was not built"
        scores[label] = _lighthouse(gzip_server + page, tmp_path / f"{Path(page).stem}.json")
        print(label, scores[label])
    (HTML.parent / "lighthouse.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
    low = {
        f"{label}: {name}": score
        for label, page_scores in scores.items()
        for name, score in page_scores.items()
        if score is None or score < 0.9
    }
    assert not low, f"Lighthouse scores under 0.9: {low}"
