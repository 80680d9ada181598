""".readthedocs.yaml builds the site as every other build does: strict flags, pages side by side."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from tools.sphinx_command import STRICT_FLAGS

ROOT = Path(__file__).resolve().parents[2]


def test_read_the_docs_builds_strict_and_with_a_worker_per_core():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    (command,) = config["build"]["jobs"]["build"]["html"]
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", "sphinx"]
    for flag in STRICT_FLAGS:
        assert flag in words, flag
    assert words[words.index("-j") + 1] == "auto"  # without -j every page runs in turn
    assert words[-2:] == ["docs", "$READTHEDOCS_OUTPUT/html"]
    assert config["sphinx"]["configuration"] == "docs/conf.py"
