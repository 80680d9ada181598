"""The build report: how long each executed page takes and what it reaches.

Every gallery example and every executed chapter becomes one entry of
``docs/_build/report.json``::

    {"build": {"wall_s": ..., "peak_rss_mb": ...},
     "pages": [{"kind": "example" | "chapter", "source": "examples/basics/plot_mlp.py",
                "wall_s": ..., "peak_rss_mb": ..., "metrics": {"test_accuracy": ...}}]}

Why this exists: neither myst-nb nor sphinx-gallery records what a page *reaches* (its
metrics) or the peak memory of a chapter's kernel, and sphinx-gallery's own timing page loads
scripts from CDNs (its ``show_memory`` would print the memory on every example page instead).

Pages report metrics with one call, :func:`dlguide.report`, which appends a JSON line, tagged
with the page named by ``DLGUIDE_REPORT_SOURCE``, to the file named by ``DLGUIDE_REPORT_FILE``.
The reset hook below sets the variable and times each gallery example; for a chapter,
``source-read`` sets it before myst-nb starts the page's kernel, which inherits it, and the
chapter's time is the execution time myst-nb records. Each page's record is one appended line,
so Sphinx's parallel readers (``-j``) and sphinx-gallery's workers can all write them. A page
taken from a cache keeps the record of the build that ran it.

The memory is sampled by a thread (psutil: RSS every 0.1 s, PSS at most once a second, see
:class:`_Sampler`) because a kernel is a child process whose peak no counter of this process
holds. Between gallery examples, glibc's ``malloc_trim``
(through ctypes; Python has no binding) hands freed heap back, so one example's peak is not
inflated by the memory the previous one freed.

The ``{build-report}`` directive renders the same data as a table on a page of the site, and
:func:`all_pages` gives them to other extensions (setup_facts.py).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import re
import resource
import threading
import time
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MB = 1024 * 1024


def _pss(process, rss: int) -> int:
    """Proportional set size: the process's private memory plus its share of pages it shares
    with others (the torch and TensorFlow libraries every kernel maps). Summed over processes it
    is the memory the build really occupies; RSS where PSS is unavailable (not Linux)."""
    import psutil

    try:
        return process.memory_full_info().pss
    except (psutil.Error, AttributeError):  # AccessDenied, or no PSS on this platform
        return rss


class _Sampler(threading.Thread):
    """Samples the resident memory of this process and of its children (kernels, workers).

    RSS is cheap to read (one small /proc file) and is read every ``interval``. PSS is not: the
    kernel walks the page tables of the whole process, 15-17 ms for one with torch and
    TensorFlow loaded, so sampling it for five processes ten times a second took a third of a
    core from a 2-core build. PSS is therefore read at most every ``pss_interval``, and only when
    the sum of RSS exceeds the highest PSS seen so far: a process's PSS never exceeds its RSS, so
    no other moment can raise the peak.
    """

    def __init__(self, interval: float = 0.1, pss_interval: float = 1.0) -> None:
        super().__init__(daemon=True, name="dlguide-rss-sampler")
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.pss_interval = pss_interval
        self.last_pss = float("-inf")
        self.lock = threading.Lock()
        self.build_peak = 0.0  # resident memory of the build, shared pages counted once (PSS)
        self.build_rss_sum_peak = 0.0  # the plain sum of RSS, which counts shared libraries twice
        self.self_peak = 0.0

    def reset_page(self) -> None:
        with self.lock:
            self.self_peak = 0.0

    def sample(self) -> None:
        import psutil

        own = self.process.memory_info().rss
        resident = [(self.process, own)]
        for child in self.process.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a child that ended meanwhile
                resident.append((child, child.memory_info().rss))
        rss_sum = sum(rss for _, rss in resident)
        now = time.monotonic()
        pss_sum = None
        if rss_sum / MB > self.build_peak and now - self.last_pss >= self.pss_interval:
            self.last_pss = now
            pss_sum = 0
            for process, rss in resident:
                with contextlib.suppress(psutil.Error):
                    pss_sum += _pss(process, rss)
        with self.lock:
            self.self_peak = max(self.self_peak, own / MB)
            self.build_rss_sum_peak = max(self.build_rss_sum_peak, rss_sum / MB)
            if pss_sum is not None:
                self.build_peak = max(self.build_peak, pss_sum / MB)

    def run(self) -> None:
        import psutil

        while True:
            with contextlib.suppress(psutil.Error):  # a process ending mid-sample: the next will do
                self.sample()
            time.sleep(self.interval)


class _State:
    def __init__(self) -> None:
        self.start = time.time()
        self.sampler: _Sampler | None = None
        self.pages_file: Path | None = None  # every page's latest record, kept across builds
        self.example_start: float | None = None
        self.read_docs: list[str] = []
        self.ran_elsewhere: set[str] = set()  # chapters execution_pool.py ran in this build


STATE = _State()


def _metrics_file() -> Path:
    """Where dlguide.report() appends metrics (named by the environment, so that every process
    of the build, kernels and sphinx-gallery's workers included, finds it)."""
    return Path(os.environ["DLGUIDE_REPORT_FILE"])


def _records_file() -> Path:
    """Where each page's record is appended, beside the metrics."""
    return _metrics_file().with_name("report-records.jsonl")


def _read_lines(path: Path | None) -> list[dict]:
    if path is None or not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _metrics_of(source: str) -> tuple[dict[str, float], float | None]:
    """The metrics a page reported in this build, and the peak memory its process had then."""
    metrics: dict[str, float] = {}
    peaks = []
    for record in _read_lines(_metrics_file()):
        if record.get("source") == source:
            metrics.update(record["metrics"])
            if record.get("peak_rss_mb") is not None:
                peaks.append(record["peak_rss_mb"])
    return metrics, max(peaks, default=None)


def _record(page: dict) -> None:
    """Append one page's record. Appending one short line is atomic, so parallel readers and
    sphinx-gallery's worker processes can all write here."""
    with open(_records_file(), "a", encoding="utf-8") as stream:
        stream.write(json.dumps(page) + "\n")


def _example_source(fname) -> str:
    matches = sorted(EXAMPLES.rglob(Path(str(fname)).name))
    if len(matches) != 1:
        raise RuntimeError(f"gallery example {fname} must have a unique file name, found {matches}")
    return matches[0].relative_to(ROOT).as_posix()


# -- gallery examples: sphinx-gallery calls this before and after each one ---------------------
def reset_example_state(gallery_conf, fname, when):
    """Reset global state around every gallery example and time it for the report.

    Before an example: matplotlib defaults, PyTorch's default dtype, grad mode and thread count,
    the Keras session and every seed are put back, so no example sees what the previous one
    changed. After it: its time, peak memory and reported metrics are recorded.
    """
    import sys

    if "matplotlib" in sys.modules:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        matplotlib.rcdefaults()
        matplotlib.use("agg")
    global _THREADS
    if when == "before" and fname is not None:
        # Import the frameworks this example imports before the seeds are set: a framework's
        # first import draws from Python's random generator, which would otherwise make the
        # example's random numbers depend on whether an earlier example imported it. (Only
        # those: importing Keras for a PyTorch example would cost seconds for nothing.)
        for framework in _frameworks_of(ROOT / _example_source(fname)):
            importlib.import_module(framework)
    if "torch" in sys.modules:
        import torch

        if _THREADS is None:  # PyTorch's default, read before any example could change it
            _THREADS = torch.get_num_threads()
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.set_num_threads(_THREADS)
        torch.manual_seed(0)
        if torch.are_deterministic_algorithms_enabled():  # the call imports torch._dynamo
            torch.use_deterministic_algorithms(False)
    if "keras" in sys.modules:
        import keras

        keras.backend.clear_session()
    import random

    import numpy as np

    random.seed(0)
    np.random.seed(0)  # noqa: NPY002 - examples may use the legacy global generator
    gc.collect()
    _release_memory()

    if fname is None:
        return
    source = _example_source(fname)
    if when == "before":
        os.environ["DLGUIDE_REPORT_SOURCE"] = source
        if STATE.sampler is not None:
            STATE.sampler.reset_page()
        STATE.example_start = time.perf_counter()
    else:
        wall = time.perf_counter() - (STATE.example_start or time.perf_counter())
        os.environ.pop("DLGUIDE_REPORT_SOURCE", None)
        metrics, _ = _metrics_of(source)
        if STATE.sampler is not None:  # None in sphinx-gallery's parallel workers
            STATE.sampler.sample()
        peak = round(STATE.sampler.self_peak, 1) if STATE.sampler else None
        _record(
            {
                "kind": "example",
                "source": source,
                "wall_s": round(wall, 3),
                "peak_rss_mb": peak,
                "metrics": metrics,
            }
        )


_THREADS = None
# An example that imports one of these (directly or through dlguide's twin) uses that framework.
_FRAMEWORK_IMPORTS = {
    "torch": re.compile(r"^\s*(?:from|import)\s+(?:torch|dlguide\.torch)\b", re.MULTILINE),
    "keras": re.compile(
        r"^\s*(?:from|import)\s+(?:keras|tensorflow|dlguide\.keras)\b", re.MULTILINE
    ),
}


def _frameworks_of(script: Path) -> list[str]:
    """The deep learning frameworks a gallery script imports: ``torch`` and/or ``keras``."""
    code = script.read_text(encoding="utf-8")
    return [name for name, pattern in _FRAMEWORK_IMPORTS.items() if pattern.search(code)]


def _release_memory() -> None:
    """Hand freed heap memory back to the OS (glibc keeps it otherwise), so the memory an
    example used is not still counted while the chapters' kernels run beside this process."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not glibc (e.g. musl): nothing to trim
            ctypes.CDLL("libc.so.6").malloc_trim(0)


# -- chapters: executed by myst-nb in Jupyter kernels while Sphinx reads them ------------------
def _doc_source(app, docname: str) -> str:
    return Path(app.env.doc2path(docname)).resolve().relative_to(ROOT).as_posix()


def _on_source_read(app, docname, source) -> None:
    # The kernel myst-nb starts for this page inherits the variable, so dlguide.report() tags
    # its lines with the page. Sphinx's parallel readers are processes: each sets its own.
    os.environ["DLGUIDE_REPORT_SOURCE"] = _doc_source(app, docname)


def _on_env_before_read_docs(app, env, docnames) -> None:
    STATE.read_docs = list(docnames)


def _on_env_updated(app, env):
    """Record every chapter that myst-nb executed in this build (not those it took from its
    cache: their records from the build that ran them are kept)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    os.environ.pop("DLGUIDE_REPORT_SOURCE", None)
    for docname in STATE.read_docs:
        exec_data = NbMetadataCollector.get_exec_data(env, docname)
        source = _doc_source(app, docname)
        ran = (exec_data or {}).get("mtime") or 0
        if not exec_data or (ran < STATE.start and source not in STATE.ran_elsewhere):
            continue
        metrics, peak = _metrics_of(source)
        _record(
            {
                "kind": "chapter",
                "source": source,
                "wall_s": round(float(exec_data.get("runtime") or 0.0), 3),
                "peak_rss_mb": peak,
                "metrics": metrics,
            }
        )
    return []


# -- the report page -------------------------------------------------------------------------
class build_report(nodes.General, nodes.Element):
    """Placeholder replaced by the report table once every page has run."""


class BuildReportDirective(SphinxDirective):
    has_content = False

    def run(self):
        return [build_report("")]


def _page_link(app, fromdocname: str, page: dict):
    source = page["source"]
    if page["kind"] == "example":
        rel = Path(source).relative_to("examples").with_suffix("")
        target = f"auto_examples/{rel.as_posix()}"
    else:
        target = Path(source).relative_to("docs").with_suffix("").as_posix()
    label = Path(source).name
    if target not in app.env.all_docs:
        return nodes.literal(text=label)
    ref = nodes.reference("", "", internal=True)
    ref["refuri"] = app.builder.get_relative_uri(fromdocname, target)
    ref += nodes.literal(text=label)
    return ref


def _on_doctree_resolved(app, doctree, fromdocname) -> None:
    for node in list(doctree.findall(build_report)):
        pages = sorted(all_pages(app).values(), key=lambda p: (p["kind"], p["source"]))
        if not pages:
            node.replace_self(nodes.paragraph(text="No page was executed in this build."))
            continue
        table = nodes.table(classes=["dlguide-report"])
        group = nodes.tgroup(cols=5)
        table += group
        for width in (3, 1, 1, 1, 3):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        row = nodes.row()
        for title in ("page", "kind", "time (s)", "peak memory (MB)", "metrics"):
            row += nodes.entry("", nodes.paragraph(text=title))
        head += row
        group += head
        body = nodes.tbody()
        for page in pages:
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", "", _page_link(app, fromdocname, page)))
            row += nodes.entry("", nodes.paragraph(text=page["kind"]))
            row += nodes.entry("", nodes.paragraph(text=f"{page['wall_s']:.1f}"), classes=["num"])
            peak = page["peak_rss_mb"]
            # An en dash marks an empty cell, here and in the metrics column.
            row += nodes.entry(
                "",
                nodes.paragraph(text="–" if peak is None else f"{peak:.0f}"),  # noqa: RUF001
                classes=["num"],
            )
            text = ", ".join(f"{k} = {v:.4g}" for k, v in sorted(page["metrics"].items())) or "–"  # noqa: RUF001
            row += nodes.entry("", nodes.paragraph(text=text))
            body += row
        group += body
        total = sum(p["wall_s"] for p in pages)
        summary = nodes.paragraph(
            text=f"{len(pages)} executed pages, {total:.0f} s of execution in all, measured by "
            f"the build that made this site ({os.cpu_count()} CPU cores)."
        )
        node.replace_self([summary, table])


def all_pages(app) -> dict[str, dict]:
    """Pages measured in this build, plus those measured by earlier builds and not re-run."""
    pages: dict[str, dict] = {}
    if STATE.pages_file is not None and STATE.pages_file.exists():
        pages.update(json.loads(STATE.pages_file.read_text(encoding="utf-8")))
    for page in _read_lines(_records_file()):
        pages[page["source"]] = page
    return {source: page for source, page in pages.items() if (ROOT / source).exists()}


def _on_env_get_outdated(app, env, added, changed, removed):
    # The report page is regenerated whenever a page may have run: a page was added, changed or
    # removed, or a gallery example ran (examples run before this event). A build that reads and
    # runs nothing leaves its table as it was, and saves reading and writing it.
    if added or changed or removed or _read_lines(_records_file()):
        return [doc for doc in env.all_docs if doc.endswith("build_report")]
    return []


def _on_build_finished(app, exception) -> None:
    if STATE.pages_file is None:
        return
    pages = all_pages(app)
    STATE.pages_file.write_text(json.dumps(pages, indent=1), encoding="utf-8")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    build_peak = max(peak_self, STATE.sampler.build_peak if STATE.sampler else 0.0)
    rss_sum_peak = max(peak_self, STATE.sampler.build_rss_sum_peak if STATE.sampler else 0.0)
    report = {
        "build": {
            "wall_s": round(time.time() - STATE.start, 3),
            # Memory of the Sphinx process and every kernel and subprocess it started, sampled
            # every 0.1 s, with shared pages counted once (PSS); the plain sum of RSS beside it.
            "peak_rss_mb": round(build_peak, 1),
            "peak_rss_sum_mb": round(rss_sum_peak, 1),
            "cpu_count": os.cpu_count(),
            "succeeded": exception is None,
        },
        "pages": [
            {k: page[k] for k in ("kind", "source", "wall_s", "peak_rss_mb", "metrics")}
            for page in sorted(pages.values(), key=lambda p: (p["kind"], p["source"]))
        ],
    }
    out = Path(app.outdir).parent / "report.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")


def _on_config_inited(app, config) -> None:
    STATE.start = time.time()
    base = Path(app.outdir).parent
    base.mkdir(parents=True, exist_ok=True)
    STATE.pages_file = base / "report-pages.json"
    # Inherited by kernels and by sphinx-gallery's worker processes.
    os.environ["DLGUIDE_REPORT_FILE"] = str(base / "report-metrics.jsonl")
    for path in (_metrics_file(), _records_file()):  # this build's lines only
        path.unlink(missing_ok=True)
    STATE.sampler = _Sampler()
    STATE.sampler.start()


def setup(app):
    app.add_node(build_report)
    app.add_directive("build-report", BuildReportDirective)
    # config-inited runs before sphinx-gallery executes the examples (builder-inited).
    app.connect("config-inited", _on_config_inited, priority=100)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("source-read", _on_source_read)
    app.connect("env-updated", _on_env_updated)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("build-finished", _on_build_finished)
    return {"version": "0.2", "parallel_read_safe": True, "parallel_write_safe": True}
