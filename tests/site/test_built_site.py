"""Static checks of the built site: report complete, nothing from other hosts, no shadowing."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(
    p for p in (ROOT / "examples").rglob("*.py") if p.name not in ("__init__.py", "conftest.py")
)
CHAPTERS = sorted((ROOT / "docs" / "chapters").glob("*.md"))
REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_report_has_build_figures(report):
    assert report["build"]["wall_s"] > 0
    assert report["build"]["peak_rss_mb"] > 0


def test_every_example_ran_and_reported_a_metric(report):
    pages = {page["source"]: page for page in report["pages"] if page["kind"] == "example"}
    assert EXAMPLES, "no gallery example found"
    for example in EXAMPLES:
        page = pages.get(_rel(example))
        assert page is not None, f"{_rel(example)} is missing from report.json"
        assert page["wall_s"] > 0, f"{_rel(example)} did not run"
        assert page["metrics"], f"{_rel(example)} reported no metric (call dlguide.report)"


def test_every_executed_chapter_is_in_the_report(report):
    pages = {page["source"]: page for page in report["pages"] if page["kind"] == "chapter"}
    executable = [c for c in CHAPTERS if "{code-cell}" in c.read_text(encoding="utf-8")]
    assert executable, "no executable chapter found"
    for chapter in executable:
        page = pages.get(_rel(chapter))
        assert page is not None, f"{_rel(chapter)} is missing from report.json"
        assert page["wall_s"] > 0, f"{_rel(chapter)} did not run"


def test_report_page_lists_every_page(html_dir, report):
    text = (html_dir / "build_report.html").read_text(encoding="utf-8")
    for page in report["pages"]:
        assert Path(page["source"]).name in text


class _Assets(HTMLParser):
    """Collects every URL a page would load by itself (not plain links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "track"):
            for key in ("src", "srcset"):
                if attrs.get(key):
                    self.loads.extend(u.strip().split(" ")[0] for u in attrs[key].split(","))
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(
                r in rel
                for r in ("stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest")
            ):
                self.loads.append(attrs["href"])
        if tag == "object" and attrs.get("data"):
            self.loads.append(attrs["data"])
        style = attrs.get("style") or ""
        self.loads.extend(re.findall(r"url\(['\"]?([^'\")]+)", style))


def _pages(html_dir: Path) -> list[Path]:
    return sorted(html_dir.rglob("*.html"))


def test_no_page_loads_anything_from_another_host(html_dir):
    offenders = []
    for page in _pages(html_dir):
        parser = _Assets()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        offenders += [
            f"{page.relative_to(html_dir)}: {url}" for url in parser.loads if REMOTE.match(url)
        ]
        offenders += [
            f"{page.relative_to(html_dir)}: @import {url}"
            for url in re.findall(r"@import\s+(?:url\()?['\"]?([^'\");]+)", text)
            if REMOTE.match(url)
        ]
    assert not offenders, "\n".join(offenders[:20])


def test_no_stylesheet_loads_from_another_host(html_dir):
    offenders = []
    for sheet in sorted(html_dir.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
            r"@import\s+['\"]([^'\"]+)", text
        ):
            if REMOTE.match(url.strip()):
                offenders.append(f"{sheet.relative_to(html_dir)}: {url}")
    assert not offenders, "\n".join(offenders[:20])


@pytest.mark.parametrize("example", EXAMPLES, ids=[_rel(e) for e in EXAMPLES])
def test_gallery_page_is_the_gallery_page_not_a_notebook(html_dir, example):
    rel = example.relative_to(ROOT / "examples").with_suffix(".html")
    page = html_dir / "auto_examples" / rel
    assert page.exists(), f"{page} was not built"
    text = page.read_text(encoding="utf-8")
    # sphinx-gallery's page carries its download footer; a page built by myst-nb from the
    # generated .ipynb would not.
    assert "sphx-glr-download" in text, f"{page} is not the sphinx-gallery page"
    for suffix in (".py", ".ipynb", ".zip"):
        assert re.search(rf'href="[^"]+{re.escape(example.stem)}\{suffix}"', text), suffix
    # The guard that names the missing install runs, but only the downloaded .py shows it.
    assert "This example needs dlguide" not in text
    assert "sphinx_gallery_start_ignore" not in text


def test_no_generated_notebook_became_a_page(html_dir):
    # Had myst-nb read a generated auto_examples/**/plot_x.ipynb, Sphinx would have copied it
    # to _sources as plot_x.ipynb.txt (html_copy_source is on).
    shadows = sorted((html_dir / "_sources").rglob("*.ipynb.txt"))
    assert (html_dir / "_sources").is_dir()
    assert not shadows, shadows


def test_math_is_mathml_with_no_script(html_dir):
    page = html_dir / "chapters" / "what-is-deep-learning.html"
    text = page.read_text(encoding="utf-8")
    assert "<math" in text, "the chapter has math but no MathML"
    assert "$$" not in text and "\\begin{" not in text, "unrendered LaTeX left in the page"
    assert not re.search(r"<script[^>]+src=\"[^\"]*(mathjax|katex)", text, flags=re.IGNORECASE)


def _page_weight(html_dir: Path, page: Path) -> int:
    """Gzipped bytes of a page's HTML, stylesheets and scripts (images aside)."""
    import gzip

    text = page.read_text(encoding="utf-8")
    total = len(gzip.compress(text.encode("utf-8")))
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    for asset in assets:
        if REMOTE.match(asset):
            continue
        path = (page.parent / asset.split("?")[0]).resolve()
        total += len(gzip.compress(path.read_bytes()))
    return total


@pytest.mark.parametrize("name", ["glossary", "further-reading", "setup"])
def test_text_page_weight(html_dir, name):
    """A page of text weighs at most 60 KB gzipped with its CSS and JS (images and math aside)."""
    weight = _page_weight(html_dir, html_dir / f"{name}.html")
    print(f"{name}: {weight / 1024:.1f} KB gzipped (HTML, CSS, JS)")
    assert weight <= 60 * 1024, f"{name} weighs {weight / 1024:.1f} KB gzipped"
