"""Incremental builds that stay correct: what re-runs when dlguide changes, and API stubs.

Why this exists: myst-nb's cache and sphinx-gallery's checksums key a page on its own code only,
so on their own they would not re-run a page when the dlguide library it imports changes; and
Sphinx's autosummary regenerates the API stubs on every build, importing torch and TensorFlow,
which would cost a no-op rebuild several seconds. Neither tool has a setting for either.

- :func:`dlguide_sources_digest` hashes the installed dlguide package; conf.py keys myst-nb's
  cache folder on it, so every chapter runs again when the library changes.
- Before sphinx-gallery runs, the examples' checksum files are removed when the digest differs
  from the one the gallery was built with, so every example runs again too. (sphinx-gallery's
  ``run_stale_examples`` would re-run them in every build while set, and an example a stopped
  build did not reach would keep its stale output; without its checksum it runs next time.)
- autosummary regenerates the stubs only when the API sources (docs/api, its templates) or
  dlguide changed. The configuration value itself never changes between builds (a changed value
  would make Sphinx re-read every page); it is switched off for the one step and restored.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

_GALLERY_STAMP = ".dlguide-digest"
_API_STAMP = ".stubs-digest"


def _hash_files(files, root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dlguide_sources_digest() -> str:
    """A short hash of every file of the installed dlguide package (code and bundled data)."""
    spec = importlib.util.find_spec("dlguide")
    if spec is None or spec.origin is None:
        raise ImportError("dlguide is not installed: run `pip install -e .` in the repository")
    package = Path(spec.origin).parent
    return _hash_files(package.rglob("*"), package)


def _api_digest(app) -> str:
    src = Path(app.srcdir)
    files = [*(src / "api").glob("*.rst"), *(src / "_templates" / "autosummary").glob("*")]
    return _hash_files(files, src) + dlguide_sources_digest()


def _rerun_examples_if_dlguide_changed(app) -> None:
    digest = app.config.DLGUIDE_DIGEST
    for gallery in app.config.sphinx_gallery_conf.get("gallery_dirs", []):
        folder = Path(app.srcdir) / gallery
        stamp = folder / _GALLERY_STAMP
        if stamp.exists() and stamp.read_text() == digest:
            continue
        for checksum in folder.rglob("*.md5"):
            checksum.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest)


_CONFIGURED: dict[str, object] = {}  # values as conf.py set them, while switched for one step


def _skip_fresh_stubs(app) -> None:
    stamp = Path(app.srcdir) / "api" / "generated" / _API_STAMP
    _CONFIGURED["autosummary_generate"] = app.config.autosummary_generate
    if stamp.exists() and stamp.read_text() == _api_digest(app):
        app.config.autosummary_generate = False


def _restore_and_stamp(app) -> None:
    generate = _CONFIGURED.pop("autosummary_generate")
    if app.config.autosummary_generate is not False or generate is False:
        stamp = Path(app.srcdir) / "api" / "generated" / _API_STAMP
        if stamp.parent.is_dir():
            stamp.write_text(_api_digest(app))
    app.config.autosummary_generate = generate


def setup(app):
    app.add_config_value("DLGUIDE_DIGEST", "", "env")
    # Before sphinx-gallery and autosummary (both at the default priority 500), and after them.
    app.connect("builder-inited", _rerun_examples_if_dlguide_changed, priority=100)
    app.connect("builder-inited", _skip_fresh_stubs, priority=100)
    app.connect("builder-inited", _restore_and_stamp, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
