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


def test_two_builds_report_the_same_metrics(tmp_path):
    """Same seeds, threads and versions: a real example and a chapter give identical metrics."""
    import shutil

    from tests.build.conftest import ROOT, ScratchSite

    reports = []
    for run in ("first", "second"):
        site = ScratchSite(tmp_path / run)
        chapter = ROOT / "docs" / "chapters" / "what-is-deep-learning.md"
        shutil.copy(chapter, site.docs / "chapters" / chapter.name)
        site.chapters.append(chapter.stem)
        (site.examples / "basics").mkdir()
        for name in ("GALLERY_HEADER.rst", "plot_mlp_digits.py"):
            shutil.copy(ROOT / "examples" / "basics" / name, site.examples / "basics" / name)
        # Not strict: the chapter links pages the scratch site lacks; this test is about numbers.
        result = site.build(strict=False)
        assert result.returncode == 0, result.output[-3000:]
        reports.append({p["source"]: p["metrics"] for p in result.report["pages"]})
    first, second = reports
    assert set(first) == set(second) and len(first) == 2
    for source in first:
        assert first[source], f"{source} reported no metric"
        assert first[source] == second[source], source
