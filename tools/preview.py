"""Build a part of the site quickly, in a scratch copy, to check a chapter or an example.

    python tools/preview.py --chapter neurons-and-networks --example examples/basics/plot_mlp_digits.py

copies docs/ to a temporary folder, keeps only the chapters and examples named (so only they are
executed), builds with the same strict flags as the real build (-W --keep-going -n) and prints
the build report. The HTML is left in the printed folder, to open or screenshot. Several
previews can run at once: each has its own folder.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from sphinx_command import sphinx_command  # tools/ is on the path from the line above


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--chapter", action="append", default=[], help="chapter name (docs/chapters/NAME.md)"
    )
    parser.add_argument(
        "--page", action="append", default=[], help="other page under docs/, e.g. glossary"
    )
    parser.add_argument(
        "--example", action="append", default=[], help="example path under examples/"
    )
    parser.add_argument("--out", default=None, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--jobs", default="1", help="sphinx-build -j (default 1)")
    args = parser.parse_args()

    site = Path(args.out or tempfile.mkdtemp(prefix="dlguide-preview-"))
    if site.exists():
        shutil.rmtree(site)
    docs = site / "docs"
    ignore = shutil.ignore_patterns(
        "_build", "auto_examples", "generated", "__pycache__", "jupyter_execute"
    )
    shutil.copytree(ROOT / "docs", docs, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", site)  # the setup page reads the extras from it
    # Keep only the chosen chapters.
    for chapter in (docs / "chapters").glob("*.md"):
        if chapter.stem != "index" and chapter.stem not in args.chapter:
            chapter.unlink()
    toc = "\n".join(args.chapter)
    (docs / "chapters" / "index.md").write_text(f"# Chapters\n\n```{{toctree}}\n{toc}\n```\n")
    # Top-level pages other than those asked for are dropped (they may glue or link chapters).
    keep = {"index", "build_report", "glossary", *args.page}
    for page in docs.glob("*.md"):
        if page.stem not in keep:
            page.unlink()
    index = docs / "index.md"
    text = index.read_text()
    text = re.sub(r"```\{toctree\}.*?```", "", text, flags=re.S)
    text = re.sub(r"::::\{grid\}.*?::::", "", text, flags=re.S)
    pages = "\n".join(
        [
            "chapters/index",
            "auto_examples/index",
            "api/index",
            "build_report",
            "glossary",
            *args.page,
        ]
    )
    index.write_text(text + f"\n```{{toctree}}\n:hidden:\n{pages}\n```\n")
    # Keep only the chosen examples (and the gallery headers of their folders).
    examples = site / "examples"
    examples.mkdir()
    shutil.copy(ROOT / "examples" / "GALLERY_HEADER.rst", examples)
    for example in args.example:
        source = (ROOT / example).resolve()
        rel = source.relative_to(ROOT / "examples")
        (examples / rel.parent).mkdir(parents=True, exist_ok=True)
        header = source.parent / "GALLERY_HEADER.rst"
        if header.exists():
            shutil.copy(header, examples / rel.parent)
        shutil.copy(source, examples / rel)
    out = docs / "_build" / "html"
    command = sphinx_command(sys.executable, docs, out, jobs=args.jobs)
    print(" ".join(command), flush=True)
    code = subprocess.call(command)
    report = docs / "_build" / "report.json"
    if report.exists():
        for page in json.loads(report.read_text())["pages"]:
            print(f"{page['wall_s']:7.1f} s  {page['source']}  {page['metrics']}")
    print(f"HTML: {out}")
    return code


if __name__ == "__main__":
    sys.exit(main())
