"""docs/_ext/read_order.py spreads the executed chapters over Sphinx's parallel reading chunks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

from sphinx.util.parallel import make_chunks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from read_order import _reorder

CHAPTER = "# A chapter\n\n```{code-cell} ipython3\nprint(1)\n```\n"


def _site(tmp_path: Path, seconds: dict[str, float]):
    """A fake docs/ folder: 50 API stubs, and chapters with run times in the last report."""
    docs = tmp_path / "docs"
    (docs / "chapters").mkdir(parents=True)
    (docs / "api").mkdir()
    docnames = [f"api/stub{i:02d}" for i in range(50)]
    for docname in docnames:
        (docs / f"{docname}.rst").write_text("Stub\n====\n")
    for name in seconds:
        (docs / "chapters" / f"{name}.md").write_text(CHAPTER)
        docnames.append(f"chapters/{name}")
    (docs / "chapters" / "index.md").write_text("# Chapters\n")  # no code: not a heavy page
    docnames.append("chapters/index")
    pages = [
        {"kind": "chapter", "source": f"docs/chapters/{name}.md", "wall_s": wall}
        for name, wall in seconds.items()
    ]
    build = docs / "_build"
    (build / "html").mkdir(parents=True)
    (build / "report.json").write_text(json.dumps({"pages": pages}))

    def doc2path(docname: str) -> Path:
        suffix = ".md" if docname.startswith("chapters/") else ".rst"
        return docs / f"{docname}{suffix}"

    env = SimpleNamespace(doc2path=doc2path)
    config = SimpleNamespace(nb_execution_mode="cache", nb_execution_cache_path=str(build / "jc"))
    app = SimpleNamespace(parallel=2, outdir=build / "html", srcdir=docs, env=env, config=config)
    return app, sorted(docnames)


def test_chapters_are_dealt_out_longest_first_to_balanced_chunks(tmp_path):
    seconds = {"a": 40.0, "b": 30.0, "c": 25.0, "d": 20.0, "e": 10.0, "f": 5.0}
    app, docnames = _site(tmp_path, seconds)
    before = list(docnames)
    chunks_before = make_chunks(before, 2)
    # Sorted by name, every chapter sits in the last chunk: one process runs them all.
    assert all(f"chapters/{name}" in chunks_before[-1] for name in seconds)

    _reorder(app, app.env, docnames)

    assert sorted(docnames) == before  # the same pages, read in another order
    loads = [
        sum(seconds.get(d.removeprefix("chapters/"), 0) for d in chunk)
        for chunk in make_chunks(docnames, 2)
    ]
    assert sum(1 for load in loads if load) >= 3  # the chapters run in several processes
    assert loads == sorted(loads, reverse=True)  # the heaviest chunks start first
    assert max(loads) == 40.0  # the longest chapter is alone in its chunk
    # myst-nb's cache database exists before the reading processes start
    assert (tmp_path / "docs" / "_build" / "jc" / "global.db").is_file()


def test_a_serial_build_keeps_the_order(tmp_path):
    app, docnames = _site(tmp_path, {"a": 40.0, "b": 30.0})
    app.parallel = 1
    before = list(docnames)
    _reorder(app, app.env, docnames)
    assert docnames == before
