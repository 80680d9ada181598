"""docs/_ext/execution_pool.py: which examples are stale, and sphinx-gallery's setting restored."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from sphinx_gallery.utils import get_md5sum

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from execution_pool import restore, run_pages_in_one_pool, stale_examples


def _app(tmp_path: Path, built: list[str], sources: list[str], parallel: int | bool = 2):
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
        "parallel": parallel,
    }
    # myst-nb set to run nothing: this test is about the gallery's examples only.
    env = SimpleNamespace(mystnb_config=SimpleNamespace(execution_mode="off"), myst_config=None)
    return SimpleNamespace(
        srcdir=str(docs), config=SimpleNamespace(sphinx_gallery_conf=conf), env=env
    )


SOURCES = ["basics/plot_a.py", "basics/plot_b.py", "vision/plot_c.py"]


def test_stale_examples_are_those_without_a_current_checksum(tmp_path):
    def names(app):
        return sorted(f"{e.source_dir.name}/{e.name}" for e in stale_examples(app))

    assert names(_app(tmp_path / "fresh", [], SOURCES)) == sorted(SOURCES)
    assert names(_app(tmp_path / "built", SOURCES, SOURCES)) == []
    app = _app(tmp_path / "edited", SOURCES, SOURCES)
    (tmp_path / "edited" / "examples" / "vision" / "plot_c.py").write_text("print('edited')\n")
    assert names(app) == ["vision/plot_c.py"]
    found = stale_examples(app)[0]
    assert found.gallery_dir == tmp_path / "edited" / "docs" / "auto_examples" / "vision"


def test_one_example_runs_in_the_sphinx_process_and_the_setting_is_restored(tmp_path):
    for parallel in (2, False):
        app = _app(tmp_path / str(parallel), SOURCES[:2], SOURCES, parallel=parallel)
        run_pages_in_one_pool(app)  # one stale example, no chapter: nothing for a pool
        assert app.config.sphinx_gallery_conf["parallel"] is False  # no workers to start
        restore(app)
        # Restored: a changed configuration value would make Sphinx re-read every page.
        assert app.config.sphinx_gallery_conf["parallel"] == parallel
