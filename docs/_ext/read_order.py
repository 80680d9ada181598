"""Spread the executed chapters over Sphinx's parallel reading processes.

Why this exists: with ``-j N`` Sphinx reads the changed pages in chunks of consecutive names, one
process per chunk. The chapters sort next to each other (``chapters/...``, ``setup``), so they
fell into one chunk and ran one after the other while the other process read API stubs: the
chapters took 287 s of a 626 s build. Sphinx offers the hook to reorder (the
``env-before-read-docs`` event) but no setting, so this module deals the chapters out to the
chunks, longest first to the least loaded, and starts the heaviest chunks first.

A chapter's expected time is its time in the last build report, when there is one, else the size
of its source; only the order of reading changes, never what a page runs or prints. Since chapters
now start in two processes at once, myst-nb's jupyter-cache database is created here first, in
the main process (two processes creating it together fail with "table settings already exists").
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.util.parallel import make_chunks

_EXECUTED = (".md", ".ipynb")


def _expected_seconds(app, docnames: list[str]) -> dict[str, float]:
    """Each executed page's expected run time (seconds, or source bytes as a stand-in)."""
    report = Path(app.outdir).parent / "report.json"
    previous: dict[str, float] = {}
    if report.is_file():
        for page in json.loads(report.read_text()).get("pages", []):
            if page.get("kind") == "chapter" and page.get("wall_s"):
                previous[page["source"]] = float(page["wall_s"])
    root = Path(app.srcdir).parent
    expected = {}
    for docname in docnames:
        source = Path(app.env.doc2path(docname))
        if source.suffix not in _EXECUTED or "auto_examples" in source.parts:
            continue
        if "```{code-cell}" not in source.read_text(encoding="utf-8"):
            continue
        key = source.relative_to(root).as_posix()
        expected[docname] = previous.get(key, source.stat().st_size / 1000)
    return expected


def _create_cache_database(app) -> None:
    """Create myst-nb's cache database before the reading processes share it."""
    path = getattr(app.config, "nb_execution_cache_path", "")
    if getattr(app.config, "nb_execution_mode", None) == "cache" and path:
        from jupyter_cache import get_cache

        get_cache(path).list_cache_records()  # opening the database creates its tables


def _reorder(app, env, docnames: list[str]) -> None:
    if app.parallel <= 1 or len(docnames) < 2:
        return
    _create_cache_database(app)
    expected = _expected_seconds(app, docnames)
    if len(expected) < 2:
        return
    sizes = [len(chunk) for chunk in make_chunks(docnames, app.parallel)]
    chunks: list[list[str]] = [[] for _ in sizes]
    loads = [0.0] * len(sizes)
    for docname in sorted(expected, key=expected.get, reverse=True):
        open_chunks = [i for i, size in enumerate(sizes) if len(chunks[i]) < size]
        target = min(open_chunks, key=loads.__getitem__)
        chunks[target].append(docname)
        loads[target] += expected[docname]
    rest = iter(d for d in docnames if d not in expected)
    for chunk, size in zip(chunks, sizes, strict=True):
        chunk.extend(next(rest) for _ in range(size - len(chunk)))
    order = sorted(range(len(chunks)), key=loads.__getitem__, reverse=True)
    docnames[:] = [docname for i in order for docname in chunks[i]]


def setup(app):
    app.connect("env-before-read-docs", _reorder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
