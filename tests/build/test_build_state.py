"""Gallery examples share one process: one that changes global state must not change the next.

The probe example reports what it sees of the global state (default dtype, grad mode, thread
count, the next random numbers of Python, NumPy and PyTorch, a matplotlib setting, Keras' name
counter). Built alone and built after an example that changes all of these, it must report the
same. A second test builds the same pages twice and compares every metric (reproducibility).
"""

from __future__ import annotations

MESS = """
import random

import keras
import matplotlib
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
torch.set_grad_enabled(False)
torch.set_num_threads(1)
torch.manual_seed(1234)
np.random.seed(1234)
random.seed(1234)
matplotlib.rcParams["lines.linewidth"] = 7.0
keras.layers.Dense(3)  # advances Keras' automatic layer names
dlguide.report(messed=1.0)
"""

PROBE = """
import random

import keras
import matplotlib
import numpy as np
import torch

dlguide.report(
    float32_default=float(torch.get_default_dtype() == torch.float32),
    grad_enabled=float(torch.is_grad_enabled()),
    threads=float(torch.get_num_threads()),
    torch_random=float(torch.rand(1)),
    numpy_random=float(np.random.rand()),
    python_random=random.random(),
    linewidth=float(matplotlib.rcParams["lines.linewidth"]),
    keras_name_is_fresh=float(keras.layers.Dense(3).name == "dense"),
)
"""


def _probe_metrics(result):
    assert result.returncode == 0, result.output
    pages = {page["source"]: page for page in result.report["pages"]}
    return pages["examples/plot_b_probe.py"]["metrics"]


def test_an_example_that_changes_global_state_does_not_change_the_next(scratch, tmp_path):
    from tests.build.conftest import ScratchSite

    scratch.add_chapter("good-chapter", ["import dlguide\ndlguide.report(score=1.0)"])
    scratch.add_example("plot_b_probe", PROBE)
    alone = _probe_metrics(scratch.build())

    after_mess = ScratchSite(tmp_path / "second")
    after_mess.add_chapter("good-chapter", ["import dlguide\ndlguide.report(score=1.0)"])
    after_mess.add_example("plot_a_mess", MESS)
    after_mess.add_example("plot_b_probe", PROBE)
    messed = _probe_metrics(after_mess.build())

    assert alone["float32_default"] == 1.0 and alone["grad_enabled"] == 1.0
    assert alone["keras_name_is_fresh"] == 1.0
    assert messed == alone


def _real_pages_site(root):
    """A scratch site with a real chapter, a real example and the architecture search example
    (whose search budget is counted in trials, so its result must not depend on speed)."""
    import shutil

    from tests.build.conftest import ROOT, ScratchSite

    site = ScratchSite(root)
    chapter = ROOT / "docs" / "chapters" / "what-is-deep-learning.md"
    shutil.copy(chapter, site.docs / "chapters" / chapter.name)
    site.chapters.append(chapter.stem)
    for folder, name in [
        ("basics", "plot_mlp_digits.py"),
        ("strategies", "plot_architecture_search.py"),
    ]:
        (site.examples / folder).mkdir(exist_ok=True)
        shutil.copy(ROOT / "examples" / folder / "GALLERY_HEADER.rst", site.examples / folder)
        shutil.copy(ROOT / "examples" / folder / name, site.examples / folder / name)
    return site


def _metrics(result) -> dict:
    assert result.returncode == 0, result.output[-3000:]
    return {page["source"]: page["metrics"] for page in result.report["pages"]}


def _pages_run(site) -> set[str]:
    """The pages the last build executed (the report keeps the others from earlier builds)."""
    import json

    records = site.docs / "_build" / "report-records.jsonl"
    if not records.exists():
        return set()
    lines = records.read_text().splitlines()
    return {json.loads(line)["source"] for line in lines if line.strip()}


def test_serial_parallel_and_incremental_builds_report_the_same_metrics(tmp_path):
    """A clean serial build, a clean parallel one (-j 2) and incremental rebuilds give the same
    metrics; a no-op rebuild runs nothing, and editing one example re-runs only that one."""
    # Not strict: the chapter links pages the scratch site lacks; this test is about numbers.
    serial = _metrics(_real_pages_site(tmp_path / "serial").build(strict=False, jobs=1))
    site = _real_pages_site(tmp_path / "parallel")
    parallel = _metrics(site.build(strict=False, jobs=2))
    assert set(serial) == set(parallel) and len(serial) == 3
    for source in serial:
        assert serial[source], f"{source} reported no metric"
        assert serial[source] == parallel[source], source

    noop = _metrics(site.build(strict=False, jobs=2))
    assert _pages_run(site) == set()
    assert noop == parallel

    example = site.examples / "strategies" / "plot_architecture_search.py"
    example.write_text(example.read_text() + "\n# An edit that changes no result.\n")
    edited = _metrics(site.build(strict=False, jobs=2))
    assert _pages_run(site) == {"examples/strategies/plot_architecture_search.py"}
    assert edited == parallel
