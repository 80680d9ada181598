"""docs/_ext/incremental.py: gallery workers start only when two or more examples must run."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from sphinx_gallery.utils import get_md5sum

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from incremental import (
    _examples_to_run,
    _gallery_workers_only_if_needed,
    _restore_gallery_parallel,
)


def _app(tmp_path: Path, built: list[str], sources: list[str]):
    """A fake app: examples/ holds ``sources``; the gallery holds checksums of ``built``."""
    examples, docs = tmp_path / "examples", tmp_path / "docs"
    for name in sources:
        (examples / name).parent.mkdir(parents=True, exist_ok=True)
        (examples / name).write_text(f"print({name!r})\n")
    (examples / "basics" / "__init__.py").write_text("")  # ignored: never executed
    for name in built:
        checksum = docs / "auto_examples" / f"{name}.md5"
        checksum.parent.mkdir(parents=True, exist_ok=True)
        checksum.write_text(get_md5sum(examples / name, mode="t"))
    conf = {
        "examples_dirs": [str(examples)],
        "gallery_dirs": ["auto_examples"],
        "filename_pattern": r".*\.py$",
        "ignore_pattern": r"(__init__|conftest)\.py$",
        "parallel": 2,
    }
    config = SimpleNamespace(sphinx_gallery_conf=conf, autosummary_generate=False)
    return SimpleNamespace(srcdir=str(docs), config=config)


SOURCES = ["basics/plot_a.py", "basics/plot_b.py", "vision/plot_c.py"]


def test_counts_examples_without_a_current_checksum(tmp_path):
    assert _examples_to_run(_app(tmp_path / "fresh", [], SOURCES)) == 3
    assert _examples_to_run(_app(tmp_path / "built", SOURCES, SOURCES)) == 0
    app = _app(tmp_path / "edited", SOURCES, SOURCES)
    (tmp_path / "edited" / "examples" / "vision" / "plot_c.py").write_text("print('edited')\n")
    assert _examples_to_run(app) == 1


def _parallel_during_build(app) -> object:
    _gallery_workers_only_if_needed(app)
    during = app.config.sphinx_gallery_conf["parallel"]
    _restore_gallery_parallel(app)
    return during


def test_workers_start_only_for_two_or_more_examples_and_the_setting_is_restored(tmp_path):
    for built, expected in ((SOURCES[:1], 2), (SOURCES[:2], False), (SOURCES, False)):
        app = _app(tmp_path / str(len(built)), built, SOURCES)
        assert _parallel_during_build(app) == expected
        # Restored: a changed configuration value would make Sphinx re-read every page.
        assert app.config.sphinx_gallery_conf["parallel"] == 2


def test_a_serial_build_stays_serial(tmp_path):
    app = _app(tmp_path, [], SOURCES)
    app.config.sphinx_gallery_conf["parallel"] = False
    assert _parallel_during_build(app) is False
    assert app.config.sphinx_gallery_conf["parallel"] is False
