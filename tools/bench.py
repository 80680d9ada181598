"""Benchmark the build and the library on this machine: ``nox -s bench``.

Measures, and writes to ``bench/results.json`` and ``bench/results.md``:

- the clean full build (wall time, peak memory) and per-page times from its report.json;
- a no-op rebuild, and a rebuild after editing one chapter;
- the overhead of ``dlguide.torch.fit`` against a hand-written loop on the same model and data;
- the import time of ``dlguide`` (frameworks not imported).

Targets on 2 cores: clean build <= 8 min (stretch 5), no-op rebuild <= 5 s, loop overhead <= 5%,
``import dlguide`` <= 0.2 s. ``--skip-build`` measures only the library; ``--reuse-build`` takes
the clean build's figures from an existing ``docs/_build/report.json`` (its build wall time,
which excludes Python start-up).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
OUT = ROOT / "bench"


def _sphinx(*extra: str) -> float:
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-T",
        "-n",
        "-q",
        "-b",
        "html",
        *extra,
        str(DOCS),
        str(BUILD / "html"),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    return time.perf_counter() - start


def bench_build(reuse: bool = False) -> dict:
    if reuse:  # measure rebuilds on top of the clean build already in docs/_build
        report = json.loads((BUILD / "report.json").read_text())
        clean = report["build"]["wall_s"]
    else:
        for path in (BUILD, DOCS / "auto_examples", DOCS / "api" / "generated"):
            shutil.rmtree(path, ignore_errors=True)
        clean = _sphinx()
        report = json.loads((BUILD / "report.json").read_text())
    times = [page["wall_s"] for page in report["pages"]]
    by_kind = {
        kind: sorted(
            (
                {"source": p["source"], "wall_s": p["wall_s"]}
                for p in report["pages"]
                if p["kind"] == kind
            ),
            key=lambda p: -p["wall_s"],
        )
        for kind in ("example", "chapter")
    }
    noop = _sphinx()
    chapter = DOCS / "chapters" / "what-is-deep-learning.md"
    original = chapter.read_text(encoding="utf-8")
    try:
        chapter.write_text(original + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        edited = _sphinx()
    finally:
        chapter.write_text(original, encoding="utf-8")
    return {
        "clean_build_s": round(clean, 1),
        "clean_build_peak_rss_mb": report["build"]["peak_rss_mb"],
        "clean_build_peak_rss_sum_mb": report["build"].get("peak_rss_sum_mb"),
        "pages": len(times),
        "page_time_median_s": round(statistics.median(times), 2),
        "page_time_max_s": round(max(times), 2),
        "page_time_total_s": round(sum(times), 1),
        "gallery_total_s": round(sum(p["wall_s"] for p in by_kind["example"]), 1),
        "slowest_examples": by_kind["example"][:5],
        "slowest_chapters": by_kind["chapter"][:5],
        "noop_rebuild_s": round(noop, 2),
        "rebuild_after_chapter_edit_s": round(edited, 1),
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
        results.update(bench_build(reuse=args.reuse_build))
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    targets = {
        "clean_build_s": ("<= 480 (stretch 300)", lambda v: v <= 480),
        "noop_rebuild_s": ("<= 5", lambda v: v <= 5),
        "loop_overhead_pct": ("<= 5", lambda v: v <= 5),
        "import_dlguide_s": ("<= 0.2", lambda v: v <= 0.2),
    }
    lines = ["| measure | value | target |", "|---|---|---|"]
    for key, value in results.items():
        if isinstance(value, (dict, list)) or key.startswith("loop_note"):
            continue
        target, ok = targets.get(key, ("", None))
        mark = "" if ok is None else (" ✓" if ok(value) else " ✗")
        lines.append(f"| {key} | {value} | {target}{mark} |")
    (OUT / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
