"""Every chapter page offers its executed notebook and its MyST source, and the links resolve.

Checks the built site (docs/_build/html, or DLGUIDE_BUILD_DIR's). The slow check
(``-m slow_all``, not run by default) executes every downloaded chapter notebook top to bottom in
a fresh kernel from an empty directory and compares the metrics it prints
(``dlguide.report``'s ``name: value`` lines) with the build's outputs.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

METRIC = re.compile(r"^(\w+): (-?\d+\.\d{4})$", flags=re.M)


def _chapter_pages(html_dir: Path) -> list[Path]:
    pages = sorted(p for p in (html_dir / "chapters").glob("*.html") if p.stem != "index")
    if (html_dir / "setup.html").exists():
        pages.append(html_dir / "setup.html")
    return pages


class _Box(HTMLParser):
    """The hrefs of the download links inside the page's ``dlguide-downloads`` box."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []
        self.boxes = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            if self.depth:
                self.depth += 1
            elif "dlguide-downloads" in (attrs.get("class") or "").split():
                self.depth = 1
                self.boxes += 1
        elif tag == "a" and self.depth and "download" in (attrs.get("class") or "").split():
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1


def _links(page: Path) -> tuple[int, list[str]]:
    parser = _Box()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.boxes, parser.links


def test_there_are_chapter_pages(html_dir):
    assert _chapter_pages(html_dir), f"no chapter page in {html_dir}"


def test_every_chapter_offers_its_notebook_and_source(html_dir):
    for page in _chapter_pages(html_dir):
        boxes, links = _links(page)
        assert boxes == 1, f"{page.name}: {boxes} download boxes"
        suffixes = sorted(Path(urlsplit(link).path).suffix for link in links)
        assert suffixes == [".ipynb", ".md"], f"{page.name}: {links}"
        for link in links:
            assert not urlsplit(link).scheme, f"{page.name}: {link} leaves the site"
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            assert target.is_file(), f"{page.name}: {link} does not resolve"
            assert target.is_relative_to(html_dir.resolve())
            assert target.stem == page.stem


def test_the_notebook_is_the_executed_one_and_the_source_is_myst(html_dir):
    for page in _chapter_pages(html_dir):
        _, links = _links(page)
        files = {Path(urlsplit(link).path).suffix: page.parent / unquote(link) for link in links}
        notebook = json.loads(files[".ipynb"].read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        if code:  # a page with code shows the build's outputs
            assert any(c.get("outputs") for c in code), f"{page.name}: notebook without outputs"
            assert all(c.get("execution_count") for c in code), f"{page.name}: unexecuted cells"
        sources = "".join("".join(c["source"]) for c in code)
        assert "from myst_nb import glue\n" not in sources + "\n" or "except ImportError" in sources
        source = files[".md"].read_text(encoding="utf-8")
        assert source.startswith("---\n") and "format_name: myst" in source, page.name


def _printed_metrics(notebook: dict) -> dict[str, float]:
    text = ""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                text += "".join(output["text"])
    return {name: float(value) for name, value in METRIC.findall(text)}


@pytest.mark.slow_all
def test_every_chapter_notebook_runs_in_a_fresh_kernel(html_dir, tmp_path):
    """Each downloaded chapter notebook, from an empty directory, prints the build's metrics.

    Runs in this environment's kernel (the wheel test covers a clean install). Metrics agree to
    1% (thread scheduling can change the last digits of a float sum).
    """
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    failures = []
    for page in _chapter_pages(html_dir):
        _, links = _links(page)
        (link,) = [link for link in links if link.endswith(".ipynb")]
        built = json.loads((page.parent / unquote(link)).read_text(encoding="utf-8"))
        notebook = nbformat.reads(json.dumps(built), as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        workdir = tmp_path / page.stem
        workdir.mkdir()
        NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(workdir)}},
        ).execute()
        expected, got = _printed_metrics(built), _printed_metrics(notebook)
        if set(expected) != set(got):
            failures.append(f"{page.stem}: metrics {sorted(expected)} vs {sorted(got)}")
            continue
        for name, value in expected.items():
            if got[name] != pytest.approx(value, rel=1e-2, abs=1e-3):
                failures.append(f"{page.stem}: {name} {got[name]} vs the build's {value}")
        print(f"{page.stem}: {len(expected)} metrics agree", file=sys.stderr)
    assert not failures, "\n".join(failures)
