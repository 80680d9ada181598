"""A gallery script run without dlguide says, in one line, what to install.

Each script opens its first code cell with a guard between sphinx-gallery's ignore markers (so
the site and the notebook do not show it, while the downloaded .py keeps it). Its command must be
the one the page's "Needs" line gives, computed from what the script imports.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from page_extras import extras_for_code, needs_requirement

EXAMPLES = sorted(
    path
    for path in (ROOT / "examples").rglob("*.py")
    if path.name not in {"__init__.py", "conftest.py"}
)
GUARD = re.compile(
    r"\n# sphinx_gallery_start_ignore\n"
    r"try:  # run without dlguide installed, say what to install \(hidden on the site\)\n"
    r"    import dlguide\n"
    r"except ModuleNotFoundError:\n"
    r"    raise SystemExit\(\n"
    r'        "This example needs (?P<requirement>\S+), which is not installed: "\n'
    r'        "the setup page of the dlguide guide says how to install it."\n'
    r"    \) from None\n"
    r"# sphinx_gallery_end_ignore\n"
)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_guard_comes_first_and_names_the_right_extras(script):
    text = script.read_text(encoding="utf-8")
    guards = list(GUARD.finditer(text))
    assert len(guards) == 1, f"{script.name}: expected one guard, found {len(guards)}"
    first_import = re.search(r"^(from dlguide|import dlguide)", text, re.M)
    assert first_import is None or guards[0].start() < first_import.start()
    code = GUARD.sub("\n", text)
    assert guards[0]["requirement"] == needs_requirement(extras_for_code(code))


def test_a_script_without_dlguide_stops_with_one_line():
    # -S leaves site-packages (and so dlguide) off the path; -I ignores the working directory.
    script = ROOT / "examples" / "basics" / "plot_mlp_digits.py"
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(script)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "This example needs dlguide[torch], which is not installed: "
        "the setup page of the dlguide guide says how to install it."
    ]
