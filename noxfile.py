"""Sessions of the dlguide project: ``nox -l`` lists them.

Every session shares one virtual environment, ``.nox/dlguide``, with the exact versions pinned in
``requirements/ci.txt`` and dlguide installed in editable mode: the frameworks and the docs stack
weigh about 3 GB, too much to install once per session. The environment is refreshed whenever
the pins or ``pyproject.toml`` change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
from sphinx_command import sphinx_command  # tools/ is on the path from the line above

ROOT = Path(__file__).resolve().parent
ENV = ROOT / ".nox" / "dlguide"
PINS = ROOT / "requirements" / "ci.txt"
BUILD = ROOT / "docs" / "_build"
HTML = BUILD / "html"

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "none"


def _bin(name: str) -> str:
    folder = "Scripts" if sys.platform == "win32" else "bin"
    suffix = ".exe" if sys.platform == "win32" else ""
    return str(ENV / folder / f"{name}{suffix}")


def _env(session: nox.Session) -> str:
    """Create or refresh the shared environment and return its Python."""
    stamp = ENV / ".installed"
    digest = hashlib.sha256(PINS.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest):
        if not ENV.exists():
            session.run(sys.executable, "-m", "venv", str(ENV))
        python = _bin("python")
        session.run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        session.run(python, "-m", "pip", "install", "--quiet", "-r", str(PINS))
        session.run(python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT))
        stamp.write_text(digest)
    return _bin("python")


def _debian_packages(session: nox.Session) -> None:
    """Install what the tests take from Debian when it is missing and we may: Chromium and
    ChromeDriver (browser tests, Lighthouse) and the full Fashion-MNIST (the loader's test of a
    fuller local copy)."""
    have_browser = shutil.which("chromium") and shutil.which("chromedriver")
    have_data = Path("/usr/share/datasets/fashion-mnist").is_dir()
    if have_browser and (have_data or not shutil.which("apt-get")):
        return
    if sys.platform.startswith("linux") and shutil.which("apt-get") and os.geteuid() == 0:
        session.run("apt-get", "update", "-qq", external=True)
        session.run(
            "apt-get", "install", "-y", "-qq", "--no-install-recommends",
            "chromium", "chromium-driver", "dataset-fashion-mnist", external=True,
        )  # fmt: skip
    elif not have_browser:
        session.error(
            "The browser tests need Chromium and ChromeDriver (on Debian/Ubuntu: "
            "sudo apt-get install chromium chromium-driver)."
        )


def _axe(session: nox.Session) -> None:
    """Install axe-core (accessibility checks) and Lighthouse (page scores) from npm for the
    browser tests, at the versions package-lock.json pins."""
    modules = ROOT / "node_modules"
    if all((modules / path).exists() for path in ("axe-core/axe.min.js", ".bin/lighthouse")):
        return
    if not shutil.which("npm"):
        if sys.platform.startswith("linux") and shutil.which("apt-get") and os.geteuid() == 0:
            session.run("apt-get", "install", "-y", "-qq", "npm", external=True)
        else:
            session.error("The browser tests need npm (Node.js) to install axe-core.")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)


def _sphinx_build(session: nox.Session, python: str, *, offline: bool, clean: bool) -> float:
    """Build the site with every warning an error; return the wall time.

    Incremental unless ``clean``: Sphinx re-reads changed pages, myst-nb re-runs a chapter whose
    code changed, sphinx-gallery re-runs an example whose file changed, and both re-run every page
    when dlguide changed (docs/_ext/incremental.py).
    """
    if clean:
        for path in (BUILD, ROOT / "docs" / "auto_examples", ROOT / "docs" / "api" / "generated"):
            shutil.rmtree(path, ignore_errors=True)
    command = sphinx_command(python, ROOT / "docs", HTML)
    if offline and sys.platform.startswith("linux") and shutil.which("unshare"):
        # A new network namespace with only loopback: proof that the build needs no network.
        inner = " ".join(f"'{part}'" for part in command)
        command = ["unshare", "-rn", "sh", "-c", f"ip link set lo up && exec {inner}"]
    start = time.perf_counter()
    session.run(*command, external=True)
    return time.perf_counter() - start


@nox.session
def tests(session: nox.Session) -> None:
    """Everything CI checks: lint, unit tests, a clean offline docs build, then the built site.

    Runs the lint session's checks (ruff, mypy, workflow schema) and the unit tests
    (tests/unit), builds the site from clean with the network cut (on Linux) executing every
    chapter and gallery example, then checks the built site (tests/site) in headless Chromium.
    Pass pytest arguments after ``--``.
    """
    python = _env(session)
    _lint_checks(session, python)
    _debian_packages(session)
    _axe(session)
    session.run(
        python,
        "-m",
        "pytest",
        "tests/unit",
        "tests/build",
        "src/dlguide",
        "--doctest-modules",
        *session.posargs,
        external=True,
    )
    wall = _sphinx_build(session, python, offline=True, clean=True)
    session.log(f"docs build: {wall:.0f} s")
    session.run(python, "-m", "pytest", "tests/site", *session.posargs, external=True)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html; ``nox -s docs -- --clean`` builds from scratch.

    Incremental by default: only pages whose code changed run again, and every page when dlguide
    changed. Open docs/_build/html/index.html afterwards, or serve it with
    ``python -m http.server -d docs/_build/html``. The build report is docs/_build/report.json.
    """
    unknown = set(session.posargs) - {"--clean"}
    if unknown:
        session.error(f"nox -s docs takes only --clean, got {sorted(unknown)}")
    python = _env(session)
    wall = _sphinx_build(session, python, offline=False, clean="--clean" in session.posargs)
    session.log(f"built in {wall:.0f} s: open {HTML / 'index.html'}")


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Serve the site with live reload while you edit (sphinx-autobuild on 127.0.0.1:8000)."""
    python = _env(session)
    session.run(
        python,
        "-m",
        "sphinx_autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        str(ROOT / "src"),
        "--watch",
        str(ROOT / "examples"),
        str(ROOT / "docs"),
        str(HTML),
        external=True,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Lint (ruff check), check formatting (ruff format --check; fix with ruff --fix/format),
    type-check the package (mypy, settings in pyproject.toml's [tool.mypy]) and validate the
    GitHub workflows against their schema (check-jsonschema, offline)."""
    _lint_checks(session, _env(session))


def _lint_checks(session: nox.Session, python: str) -> None:
    """The lint session's checks; the tests session runs them first, so CI runs them too."""
    paths = ["src", "tests", "examples", "docs", "tools", "noxfile.py"]
    session.run(python, "-m", "ruff", "check", *paths, external=True)
    session.run(python, "-m", "ruff", "format", "--check", *paths, external=True)
    session.run(python, "-m", "mypy", external=True)  # checks [tool.mypy] files: src/dlguide
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.y*ml"))
    session.run(
        _bin("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows,
        external=True,
    )  # fmt: skip


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark the build and the training loop; writes bench/results.json and bench/results.md."""
    python = _env(session)
    _debian_packages(session)  # Chromium and npm's Lighthouse, for the Lighthouse scores
    _axe(session)
    session.run(python, str(ROOT / "tools" / "bench.py"), *session.posargs, external=True)
