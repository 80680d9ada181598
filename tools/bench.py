"""Benchmark the build and the library on this machine: ``nox -s bench``.

Measures, and writes to ``bench/results.json`` and ``bench/results.md``:

- the clean full build with ``-j auto`` (wall time, peak memory, the slowest pages, the overhead
  ratio of wall time over the sum of page times) and two pages against their scripts run alone;
- a no-op rebuild (median of three), and rebuilds after editing one example, one chapter's prose
  and one chapter's code (and which pages ran);
- a clean serial build (``-j 1``): the speed-up, its memory, and whether its metrics are equal;
- the Lighthouse scores of the clean build (the site test tests/site/test_lighthouse.py);
- the overhead of ``dlguide.torch.fit`` against a hand-written loop on the same model and data;
- the import time of ``dlguide`` (frameworks not imported).

Targets on 2 cores: clean build <= 8 min (stretch 5), no page over 30 s (three may reach 45 s),
memory <= 6 GB, no-op rebuild <= 5 s, one edited example <= its own time + 15 s, loop overhead
<= 5%, ``import dlguide`` <= 0.2 s. ``--skip-build`` measures only the library; ``--reuse-build``
takes the clean build's figures from an existing ``docs/_build/report.json``; ``--no-serial``
skips the serial build; ``--store-page-seconds`` writes the clean build's page times to
``docs/_ext/page_seconds.json``, the order in which a fresh clone's build runs its pages.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
OUT = ROOT / "bench"
sys.path.insert(0, str(ROOT / "tools"))
from sphinx_command import sphinx_command  # tools/ is on the path from the line above


def _sphinx(jobs: str = "auto") -> tuple[float, dict]:
    """Build (incrementally, over whatever docs/_build holds); return wall time and report."""
    command = [*sphinx_command(sys.executable, DOCS, BUILD / "html", jobs=jobs), "-q"]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    return wall, json.loads((BUILD / "report.json").read_text())


def _clean() -> None:
    for path in (BUILD, DOCS / "auto_examples", DOCS / "api" / "generated"):
        shutil.rmtree(path, ignore_errors=True)


def _pages_run() -> list[str]:
    """The pages the last build executed. Each build starts this file afresh (the report
    extension deletes it at start-up), so a build that runs nothing leaves it empty."""
    records = BUILD / "report-records.jsonl"
    lines = records.read_text().splitlines() if records.exists() else []
    return sorted(json.loads(line)["source"] for line in lines if line.strip())


def _edit_and_rebuild(path: Path, addition: str) -> dict:
    """Append ``addition`` to ``path`` and rebuild; then restore the file and rebuild again
    (not timed), so the next measurement starts from the unedited pages.

    ``page_s`` is the edited page's own run time in this build, or None when it did not run
    (a prose edit: myst-nb's cache serves a chapter whose code is unchanged)."""
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + addition, encoding="utf-8")
        wall, report = _sphinx()
        ran = _pages_run()
    finally:
        path.write_text(original, encoding="utf-8")
    _sphinx()
    source = path.relative_to(ROOT).as_posix()
    page = next(p for p in report["pages"] if p["source"] == source)
    return {
        "wall_s": round(wall, 1),
        "page_s": page["wall_s"] if source in ran else None,
        "pages_run": ran,
    }


def _standalone(example: str) -> float:
    """Wall time of one gallery script run alone, as a reader runs it (one thread, as the build)."""
    env = {**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env["TF_NUM_INTRAOP_THREADS"] = "1"
    env.update(TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / example)], check=True, cwd=folder, env=env,
            capture_output=True,
        )  # fmt: skip
        return time.perf_counter() - start


def _summary(report: dict, wall: float) -> dict:
    pages = report["pages"]
    times = [page["wall_s"] for page in pages]
    return {
        "wall_s": round(wall, 1),
        "peak_memory_mb": report["build"]["peak_rss_mb"],
        "pages": len(pages),
        "page_time_total_s": round(sum(times), 1),
        # Wall time over the sum of page times: below 1 when pages run side by side.
        "overhead_ratio": round(wall / sum(times), 2),
        "page_time_max_s": round(max(times), 1),
        "pages_over_30_s": sorted(p["source"] for p in pages if p["wall_s"] > 30),
    }


def bench_build(*, reuse: bool = False, serial: bool = True) -> dict:
    if reuse:  # measure rebuilds on top of the clean build already in docs/_build
        report = json.loads((BUILD / "report.json").read_text())
        clean = report["build"]["wall_s"]
    else:
        _clean()
        clean, report = _sphinx()
    results: dict = {"clean_build": _summary(report, clean), "_clean_report": report}
    results["slowest_pages"] = sorted(
        ({"source": p["source"], "wall_s": p["wall_s"]} for p in report["pages"]),
        key=lambda p: -p["wall_s"],
    )[:8]
    # Pages against the same script run alone: what the build adds to a page.
    results["page_vs_standalone"] = []
    for example in ("examples/basics/plot_mlp_digits.py", "examples/basics/plot_activations.py"):
        page = next(p for p in report["pages"] if p["source"] == example)
        alone = _standalone(example)
        results["page_vs_standalone"].append(
            {"source": example, "page_s": page["wall_s"], "standalone_s": round(alone, 1)}
        )
    results["lighthouse"] = _lighthouse()
    noops = [_sphinx()[0] for _ in range(3)]
    results["noop_rebuild_s"] = round(statistics.median(noops), 2)  # median of three
    results["noop_rebuild_runs_s"] = [round(noop, 2) for noop in noops]
    results["noop_pages_run"] = _pages_run()
    results["rebuild_after_example_edit"] = _edit_and_rebuild(
        ROOT / "examples" / "basics" / "plot_activations.py", "\n# benchmark edit\n"
    )
    chapter = DOCS / "chapters" / "what-is-deep-learning.md"
    results["rebuild_after_chapter_prose_edit"] = _edit_and_rebuild(
        chapter, "\nA sentence added by the benchmark.\n"
    )
    results["rebuild_after_chapter_code_edit"] = _edit_and_rebuild(
        chapter, "\n```{code-cell} ipython3\nprint('benchmark edit')\n```\n"
    )
    if serial:
        _clean()
        wall, report_serial = _sphinx(jobs="1")
        results["clean_serial_build"] = _summary(report_serial, wall)
        results["parallel_speedup"] = round(wall / clean, 2)
        results.update(_compare_metrics(report, report_serial))
    return results


def store_page_seconds(report: dict) -> None:
    """Write each page's time in ``report`` to the file docs/_ext/execution_pool.py orders by."""
    seconds = {page["source"]: round(page["wall_s"], 1) for page in report["pages"]}
    path = DOCS / "_ext" / "page_seconds.json"
    path.write_text(json.dumps(dict(sorted(seconds.items())), indent=1) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: commit it")


def _lighthouse() -> dict | str:
    """Lighthouse's four scores on the four kinds of page of the clean build, measured by the
    site test that CI runs (it needs npm's Lighthouse and Chromium: `nox -s bench` installs
    them); if it cannot run, why not."""
    out = BUILD / "lighthouse.json"
    out.unlink(missing_ok=True)
    test = ROOT / "tests" / "site" / "test_lighthouse.py"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(test), "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if out.exists():  # written before the test asserts the scores, so low scores show too
        return json.loads(out.read_text())
    return f"not measured: {(done.stdout + done.stderr).strip().splitlines()[-1:]}"


# Metrics that measure speed (timings, GFLOP/s, a ratio of step times) differ from run to run by
# nature; every other metric is a result, and must not depend on how the pages were scheduled.
SPEED_METRIC = re.compile(r"seconds|gflops|_ms_|step_ratio")


def _compare_metrics(parallel: dict, serial: dict) -> dict:
    """Whether the two builds' results agree exactly, and which speed metrics moved."""
    first = {p["source"]: p["metrics"] for p in parallel["pages"]}
    second = {p["source"]: p["metrics"] for p in serial["pages"]}
    differ, speed = [], []
    for source in sorted(first.keys() | second.keys()):
        a, b = first.get(source, {}), second.get(source, {})
        for name in sorted(a.keys() | b.keys()):
            if a.get(name) != b.get(name):
                (speed if SPEED_METRIC.search(name) else differ).append(f"{source}:{name}")
    return {
        "serial_and_parallel_metrics_equal": not differ,
        "serial_and_parallel_metrics_differing": differ,
        "speed_metrics_differing (expected)": speed,
    }


def bench_loop(repeats: int = 5) -> dict:
    """fit() against the five-line loop it wraps: same model, data, batches and optimizer."""
    import torch
    from torch.nn import functional as F

    from dlguide.data import load_digits
    from dlguide.torch import MLP, fit, to_loader

    (x, y), _ = load_digits()
    epochs = 20
    torch.optim.Adam(MLP(num_inputs=64, num_outputs=10).parameters())  # pay the lazy import once

    def hand_written() -> float:
        torch.manual_seed(0)
        model = MLP(num_inputs=64, num_outputs=10)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loader = to_loader(x, y, batch_size=64, shuffle=True, seed=0)
        start = time.perf_counter()
        for _ in range(epochs):
            model.train()
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
        return time.perf_counter() - start

    def with_fit() -> float:
        torch.manual_seed(0)
        model = MLP(num_inputs=64, num_outputs=10)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loader = to_loader(x, y, batch_size=64, shuffle=True, seed=0)
        start = time.perf_counter()
        fit(
            model,
            loader,
            epochs=epochs,
            optimizer=optimizer,
            device="cpu",
            verbose=False,
            metrics=None,
        )
        return time.perf_counter() - start

    hand, ours = [], []
    for _ in range(repeats):  # interleaved, so drifts in machine load hit both alike
        hand.append(hand_written())
        ours.append(with_fit())
    overhead = statistics.median(ours) / statistics.median(hand) - 1
    return {
        "loop_hand_written_s": round(statistics.median(hand), 3),
        "loop_fit_s": round(statistics.median(ours), 3),
        "loop_overhead_pct": round(100 * overhead, 1),
        "loop_note": f"MLP on digits, {epochs} epochs, batch 64, median of {repeats} interleaved "
        "runs; fit with metrics=None so both loops do the same work",
    }


def bench_import(repeats: int = 7) -> dict:
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    base = min(run("pass") for _ in range(repeats))
    ours = min(run("import dlguide") for _ in range(repeats))
    with_data = min(run("import dlguide.data, dlguide.plot") for _ in range(repeats))
    leaked = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, dlguide, dlguide.data; "
            "print(','.join(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "import_dlguide_s": round(ours - base, 3),
        "import_dlguide_data_and_plot_s": round(with_data - base, 3),
        "frameworks_imported": leaked or "none",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-build", action="store_true", help="measure the library only")
    parser.add_argument(
        "--reuse-build",
        action="store_true",
        help="take the clean build's figures from docs/_build/report.json instead of rebuilding",
    )
    parser.add_argument(
        "--no-serial", action="store_true", help="skip the clean serial (-j 1) build"
    )
    parser.add_argument(
        "--store-page-seconds",
        action="store_true",
        help="write the clean build's page times to docs/_ext/page_seconds.json, the order in "
        "which a build without a report of its own runs its pages (commit the file)",
    )
    args = parser.parse_args()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    results.update(bench_import())
    results.update(bench_loop())
    if not args.skip_build:
        results.update(bench_build(reuse=args.reuse_build, serial=not args.no_serial))
        if args.store_page_seconds:
            store_page_seconds(results.pop("_clean_report"))
        results.pop("_clean_report", None)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    build = results.get("clean_build", {})
    checks = [
        ("clean build (s)", build.get("wall_s"), "<= 480 (stretch 300)", lambda v: v <= 480),
        ("pages over 30 s", build.get("pages_over_30_s"), "at most 3, each <= 45 s",
         lambda v: len(v) <= 3),
        ("build memory peak (MB)", build.get("peak_memory_mb"), "<= 6000", lambda v: v <= 6000),
        ("overhead ratio (wall / page times)", build.get("overhead_ratio"), "", None),
        ("no-op rebuild (s)", results.get("noop_rebuild_s"), "<= 5 (stretch 2)", lambda v: v <= 5),
        ("rebuild after one example edit", results.get("rebuild_after_example_edit"),
         "<= its page + 15 s", lambda v: v["page_s"] is not None
         and v["wall_s"] <= v["page_s"] + 15),
        ("rebuild after a chapter's prose edit (nothing runs)",
         results.get("rebuild_after_chapter_prose_edit"), "no page runs",
         lambda v: v["pages_run"] == []),
        ("rebuild after a chapter's code edit (it runs again)",
         results.get("rebuild_after_chapter_code_edit"), "<= its page + 15 s",
         lambda v: v["page_s"] is not None and v["wall_s"] <= v["page_s"] + 15),
        ("serial clean build", results.get("clean_serial_build"), "", None),
        ("speed-up of -j auto over -j 1", results.get("parallel_speedup"), "", None),
        ("serial and parallel metrics equal", results.get("serial_and_parallel_metrics_equal"),
         "True", lambda v: v is True),
        ("pages against standalone scripts", results.get("page_vs_standalone"), "", None),
        ("Lighthouse", results.get("lighthouse"), ">= 0.9 each", lambda v: isinstance(v, dict)
         and all(score >= 0.9 for page in v.values() for score in page.values())),
        ("fit overhead (%)", results.get("loop_overhead_pct"), "<= 5", lambda v: v <= 5),
        ("import dlguide (s)", results.get("import_dlguide_s"), "<= 0.2", lambda v: v <= 0.2),
    ]  # fmt: skip
    lines = ["| measure | value | target |", "|---|---|---|"]
    for name, value, target, ok in checks:
        if value is None:
            continue
        mark = "" if ok is None else (" ✓" if ok(value) else " ✗")
        shown = json.dumps(value) if isinstance(value, (dict, list)) else value
        lines.append(f"| {name} | {shown} | {target}{mark} |")
    lines.append(f"\nMachine: {json.dumps(results['machine'])}")
    (OUT / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
