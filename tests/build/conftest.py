"""A scratch copy of the site's machinery (conf.py, extensions, templates) for fault injection."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.sphinx_command import sphinx_command

ROOT = Path(__file__).resolve().parents[2]

INDEX = """# Scratch site

```{toctree}
:maxdepth: 1

chapters/index
auto_examples/index
```
"""

CHAPTER_HEAD = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""

EXAMPLE = '''"""
{title}
{underline}

A scratch example.
"""

# %%
import matplotlib.pyplot as plt

import dlguide

{body}
plt.plot([0, 1], [0, 1])
'''


@dataclass
class Result:
    returncode: int
    output: str
    report: dict | None


class ScratchSite:
    """A throw-away site with the real conf.py and extensions and pages of our choosing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "docs"
        self.examples = root / "examples"
        self.docs.mkdir(parents=True)
        for name in ("conf.py", "docutils.conf", "references.bib", "_ext", "_static", "_templates"):
            source = ROOT / "docs" / name
            if source.is_dir():
                shutil.copytree(
                    source, self.docs / name, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy(source, self.docs / name)
        (self.docs / "index.md").write_text(INDEX, encoding="utf-8")
        (self.docs / "chapters").mkdir()
        self.examples.mkdir()
        (self.examples / "GALLERY_HEADER.rst").write_text("Scratch gallery\n===============\n")
        self.chapters: list[str] = []

    def add_chapter(self, name: str, cells: list[str], markdown: str = "") -> None:
        body = "".join(f"```{{code-cell}} ipython3\n{cell}\n```\n\n" for cell in cells)
        text = CHAPTER_HEAD + f"# {name}\n\n{markdown}\n\n{body}"
        (self.docs / "chapters" / f"{name}.md").write_text(text, encoding="utf-8")
        self.chapters.append(name)

    def add_example(self, name: str, body: str) -> None:
        title = name.replace("_", " ")
        text = EXAMPLE.format(title=title, underline="=" * len(title), body=body)
        (self.examples / f"{name}.py").write_text(text, encoding="utf-8")

    def build(self, *, strict: bool = True, jobs: int = 1, **env: str) -> Result:
        """Build the scratch site; ``strict`` adds ``-W --keep-going -n`` as in the real build,
        ``jobs`` runs pages in that many processes (``-j``)."""
        toc = "\n".join(self.chapters)
        (self.docs / "chapters" / "index.md").write_text(
            f"# Chapters\n\n```{{toctree}}\n{toc}\n```\n", encoding="utf-8"
        )
        out = self.docs / "_build" / "html"
        command = [*sphinx_command(sys.executable, self.docs, out, jobs=jobs, strict=strict), "-q"]
        process = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, **env}, timeout=600
        )
        report_path = self.docs / "_build" / "report.json"
        report = json.loads(report_path.read_text()) if report_path.exists() else None
        return Result(process.returncode, process.stdout + process.stderr, report)


@pytest.fixture
def scratch(tmp_path) -> ScratchSite:
    return ScratchSite(tmp_path / "site")
