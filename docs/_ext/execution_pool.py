"""Run every page this build must execute in one pool of workers, longest first.

Why this exists: left to themselves, the two tools that execute our pages use the cores in
turn, and badly. sphinx-gallery runs its examples folder by folder, one pool of worker
processes per folder, waiting for a folder to finish before starting the next, so a core idles
at the end of every folder and throughout a folder of one example. myst-nb then executes the
chapters while Sphinx reads them, in Sphinx's reading processes, which take the pages in fixed
chunks, so one process can still be running chapters long after the other has finished. In a
clean build here (2 cores) the gallery took 176 s for 254 s of examples and the reading 148 s for
229 s of chapters, where 242 s would do for both. Neither tool has a setting to share a pool.
With this module the same pages ran in 287 s for 515 s of page time (each page slower with
both cores always busy), and the whole build took 332 s instead of 355 s.

So, before sphinx-gallery starts (``builder-inited``; this extension is listed after myst_nb,
whose configuration it needs, and before sphinx-gallery), this module runs every out-of-date
example and every chapter missing from myst-nb's cache in one joblib pool of loky processes, as
many as sphinx-gallery's ``parallel`` (Sphinx's ``-j``), longest expected first, so that the
last job to finish is a short one:

- an example runs through sphinx-gallery's own ``generate_file_rst``, with the arguments
  sphinx-gallery would pass, so the page, figures, checksum and timing are the ones it would
  write; sphinx-gallery then walks its folders as usual and is handed each finished result
  (:func:`_handed_over` stands in for ``generate_file_rst`` until ``builder-inited`` ends);
- a chapter is read into a notebook by myst-nb's own reader and executed by jupyter-cache's
  ``single_nb_execution`` with myst-nb's settings, then stored in myst-nb's cache exactly as
  myst-nb stores it (same working directory, timeout, record and run time). When Sphinx reads
  the chapter, myst-nb finds it in the cache and runs nothing. A chapter that fails is not
  stored: myst-nb runs it again while reading and reports the error as it always does.

An example that opts out of parallel runs (``# sphinx_gallery_parallel = False``: plot_ddp.py
starts processes of its own) runs first, alone, in the Sphinx process, as sphinx-gallery runs
it. A serial build (``-j 1``), or a build with fewer than two pages to run, is left to
sphinx-gallery and myst-nb; either way sphinx-gallery runs what is left in this process (no
worker processes to start for one example: 1.4 s of a no-op rebuild here), and its ``parallel``
setting is put back afterwards (a changed configuration value would make Sphinx re-read every
page). The expected time of a page is its time in the last build report, else in
``page_seconds.json`` (committed, so that a fresh clone orders well too; a new page without
either is placed by its source size). Only the order of running depends on it, never a result:
in a clean build here, ordering by source size alone left a 16 s Keras example to run last,
on one core.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from sphinx.util import logging
from sphinx.util.display import status_iterator

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]

_RESULTS: dict[tuple[str, str], tuple] = {}  # (source folder, file name) -> generate_file_rst's
_ORIGINAL: list = []  # sphinx-gallery's generate_file_rst while _handed_over stands in for it
_CONFIGURED: dict[str, object] = {}  # sphinx-gallery's `parallel` as conf.py set it


@dataclass(frozen=True)
class Example:
    source_dir: Path  # examples/<folder>
    gallery_dir: Path  # docs/auto_examples/<folder>
    name: str  # plot_x.py

    @property
    def source(self) -> Path:
        return self.source_dir / self.name


@dataclass(frozen=True)
class Chapter:
    path: str  # the source file, as Sphinx names it to myst-nb
    source: str  # relative to the repository, as the build report names pages
    notebook: dict  # as myst-nb's reader reads it, not yet executed
    read_fmt: dict
    cache_path: str
    timeout: int
    allow_errors: bool


def stale_examples(app) -> list[Example]:
    """The examples sphinx-gallery would run in this build: those whose ``.md5`` checksum beside
    their copy in the gallery is missing or differs from their source (the test sphinx-gallery
    makes; ``run_stale_examples`` is off)."""
    from sphinx_gallery.utils import get_md5sum

    conf = app.config.sphinx_gallery_conf
    pattern, ignore = re.compile(conf["filename_pattern"]), re.compile(conf["ignore_pattern"])
    stale = []
    for examples, gallery in zip(conf["examples_dirs"], conf["gallery_dirs"], strict=True):
        examples = Path(app.srcdir, examples)
        for source in sorted(examples.rglob("*.py")):
            if not pattern.search(str(source)) or ignore.search(source.name):
                continue
            folder = Path(app.srcdir, gallery, source.parent.relative_to(examples))
            checksum = folder / f"{source.name}.md5"
            if not checksum.exists() or checksum.read_text() != get_md5sum(source, mode="t"):
                stale.append(Example(source.parent, folder, source.name))
    return stale


def uncached_chapters(app) -> list[Chapter]:
    """The executed pages (MyST notebooks with code) that myst-nb's cache does not hold, read
    as myst-nb reads them. Pages whose notebook metadata changes myst-nb's settings, or a build
    configured in a way this module does not mirror, are left to myst-nb."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader
    from sphinx.util.matching import Matcher

    nb_config, md_config = app.env.mystnb_config, app.env.myst_config
    if (
        nb_config.execution_mode != "cache"
        or nb_config.execution_in_temp
        or nb_config.kernel_rgx_aliases
    ):
        return []
    cache = get_cache(nb_config.execution_cache_path)
    cache.list_cache_records()  # creates the database here, before processes share it
    excluded = Matcher([*app.config.exclude_patterns, "auto_examples/**", "_*/**"])
    chapters = []
    for path in sorted(Path(app.srcdir).rglob("*.md")):
        if excluded(path.relative_to(app.srcdir).as_posix()):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), md_config, nb_config, text)
        if reader is None:
            continue
        notebook = reader.read(text)
        if nb_config.metadata_key in notebook.metadata:
            continue
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        try:
            cache.match_cache_notebook(notebook)
            continue  # cached: myst-nb will take it from there
        except KeyError:
            pass
        chapters.append(
            Chapter(
                path=str(path),
                source=path.resolve().relative_to(ROOT).as_posix(),
                notebook=notebook,
                read_fmt=dict(reader.read_fmt or {}),
                cache_path=str(nb_config.execution_cache_path),
                timeout=nb_config.execution_timeout,
                allow_errors=nb_config.execution_allow_errors,
            )
        )
    return chapters


HINTS = Path(__file__).with_name("page_seconds.json")


def _expected_seconds(app, pages: list[Example | Chapter]) -> dict[str, float]:
    """Each page's expected run time: its seconds in this checkout's last build report, else in
    page_seconds.json (a clean build's times, stored by ``tools/bench.py --store-page-seconds``),
    else its source's kilobytes."""
    previous: dict[str, float] = json.loads(HINTS.read_text()) if HINTS.is_file() else {}
    report = Path(app.outdir).parent / "report.json"
    if report.is_file():
        for page in json.loads(report.read_text()).get("pages", []):
            if page.get("wall_s"):
                previous[page["source"]] = float(page["wall_s"])
    expected = {}
    for page in pages:
        path = page.source if isinstance(page, Example) else Path(page.path)
        key = _source_of(page)
        expected[key] = previous.get(key, path.stat().st_size / 1000)
    return expected


def _source_of(page: Example | Chapter) -> str:
    if isinstance(page, Chapter):
        return page.source
    return page.source.resolve().relative_to(ROOT).as_posix()


def _runs_in_parallel(example: Example, conf) -> bool:
    """False for an example that opts out with ``# sphinx_gallery_parallel = False``."""
    from sphinx_gallery.gen_rst import _split_parallel

    serial, _ = _split_parallel([example.name], example.source_dir, conf)
    return not serial


def _run(page: Example | Chapter, conf):
    """One job of the pool, in a worker process; returns what the main process needs back,
    and when and where the job ran (the timeline the pool writes beside the report)."""
    start = time.time()
    if isinstance(page, Example):
        from sphinx_gallery.gen_rst import generate_file_rst

        result = generate_file_rst(page.name, page.gallery_dir, page.source_dir, conf)
    else:
        result = _run_chapter(page)
    return page, result, (os.getpid(), start, time.time())


def _run_chapter(chapter: Chapter) -> bool:
    """Execute a chapter as myst-nb would and store it in myst-nb's cache; True if it ran."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.from_dict(chapter.notebook)
    # dlguide.report() in the kernel tags its metrics with the page (dlguide_report.py sets the
    # same variable in source-read when myst-nb runs the page). One job at a time per worker.
    os.environ["DLGUIDE_REPORT_SOURCE"] = chapter.source
    try:
        result = single_nb_execution(
            notebook,
            cwd=str(Path(chapter.path).parent),  # myst-nb's "local CWD"
            timeout=chapter.timeout,
            allow_errors=chapter.allow_errors,
            meta_override=True,
        )
    finally:
        os.environ.pop("DLGUIDE_REPORT_SOURCE", None)
    if result.err is not None:
        return False
    cache = get_cache(chapter.cache_path)
    stage = cache.add_nb_to_project(chapter.path, read_data=chapter.read_fmt)
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, stage.uri, data={"execution_seconds": result.time}),
        check_validity=False,
        overwrite=True,
    )
    return True


def _handed_over(fname, target_dir, src_dir, gallery_conf):
    """sphinx-gallery's ``generate_file_rst``, answered from the pool when the pool ran it."""
    result = _RESULTS.pop((str(Path(src_dir)), str(fname)), None)
    if result is not None:
        return result
    return _ORIGINAL[0](fname, target_dir, src_dir, gallery_conf)


def run_pages_in_one_pool(app) -> None:
    conf = app.config.sphinx_gallery_conf
    workers = _CONFIGURED["parallel"] = conf["parallel"]
    conf["parallel"] = False  # sphinx-gallery runs only what the pool left, in this process
    if not workers or workers < 2:
        return  # a serial build: sphinx-gallery and myst-nb run their pages as they would
    examples = stale_examples(app)
    chapters = uncached_chapters(app)
    if len(examples) + len(chapters) < 2:
        return
    from joblib import Parallel, delayed
    from sphinx_gallery import gen_rst

    for example in examples:  # as generate_dir_rst does, before any example runs
        (example.gallery_dir / "images" / "thumb").mkdir(parents=True, exist_ok=True)
    alone = [example for example in examples if not _runs_in_parallel(example, conf)]
    pages: list[Example | Chapter] = [p for p in examples if p not in alone] + chapters
    expected = _expected_seconds(app, pages)
    pages.sort(key=lambda page: expected[_source_of(page)], reverse=True)

    for example in alone:
        logger.info(f"running {example.name} alone, as it asks (sphinx_gallery_parallel = False)")
        _RESULTS[(str(example.source_dir), example.name)] = _run(example, conf)[1]
    began = time.time()
    pool = Parallel(
        n_jobs=workers,
        pre_dispatch="n_jobs",  # hand out one page at a time, in the order above
        batch_size=1,
        backend="loky",
        return_as="generator_unordered",
    )
    failed, timeline = [], []
    for page, result, (pid, start, end) in status_iterator(
        pool(delayed(_run)(page, conf) for page in pages),
        f"running {len(examples)} examples and {len(chapters)} chapters ({workers} workers)... ",
        length=len(pages),
        stringify_func=lambda item: Path(_source_of(item[0])).name,
    ):
        timeline.append([_source_of(page), pid, round(start - began, 2), round(end - began, 2)])
        if isinstance(page, Example):
            _RESULTS[(str(page.source_dir), page.name)] = result
        else:
            if result:
                _record_chapter_ran(page.source)
            else:
                failed.append(page.source)
    # When each page started and ended (seconds from the pool's start) and in which worker:
    # the gaps between a worker's pages are its own start-up and sphinx-gallery's or myst-nb's
    # work around the page's timed code. Read by tools/bench.py.
    (Path(app.outdir).parent / "pool-timeline.json").write_text(
        json.dumps({"workers": workers, "wall_s": round(time.time() - began, 2), "pages": timeline})
    )
    for source in failed:
        logger.info(f"{source} failed in the pool: myst-nb runs it again and reports the error")
    _ORIGINAL.append(gen_rst.generate_file_rst)
    gen_rst.generate_file_rst = _handed_over


def _record_chapter_ran(source: str) -> None:
    """Tell the build report that this chapter ran in this build (its cache record says when,
    but in UTC without a zone, which reads wrong on a machine in another zone)."""
    import dlguide_report

    dlguide_report.STATE.ran_elsewhere.add(source)


def restore(app) -> None:
    """Give sphinx-gallery back its function and its configured ``parallel``."""
    if _ORIGINAL:
        from sphinx_gallery import gen_rst

        gen_rst.generate_file_rst = _ORIGINAL.pop()
    if "parallel" in _CONFIGURED:
        app.config.sphinx_gallery_conf["parallel"] = _CONFIGURED.pop("parallel")
    leftover = sorted(name for _, name in _RESULTS)
    _RESULTS.clear()
    if leftover:  # their pages were written all the same; a sign that the two walks differ
        logger.warning(f"execution_pool: sphinx-gallery never asked for {leftover}")


def setup(app):
    # At the default priority: after myst-nb made its configuration (it is listed first) and
    # incremental.py cleared stale checksums (priority 100), before sphinx-gallery (listed
    # after this extension). Restored after sphinx-gallery has run (900).
    app.connect("builder-inited", run_pages_in_one_pool)
    app.connect("builder-inited", restore, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
