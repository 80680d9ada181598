"""docs/_ext/execution_pool.py: examples and chapters run once each, in one pool, in a -j 2 build.

Each scratch page (two gallery folders and two chapters) appends a line (its name, its process
id and its parent's) to a log file as it starts. A -j 2 build must run the example that opts out
of parallel runs first, in the Sphinx process itself, then every other page exactly once (a
chapter is not run again when Sphinx reads it), longest expected first across folders and
kinds, examples in worker processes of the Sphinx process; it must write every page and report
every page's metrics; and a rebuild with nothing changed runs none.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))


LOGGING = """
import json
import os
import time

with open(os.environ["POOL_LOG"], "a") as log:
    log.write(json.dumps([{name!r}, os.getpid(), os.getppid()]) + "\\n")
time.sleep({sleep})  # long enough that the order of starting is the order of handing out
dlguide.report(ran=1.0)
"""

# Two folders, so one pool must serve both; one example asks to run alone.
EXAMPLES = {
    "first/plot_a.py": "",
    "first/plot_b.py": "",
    "second/plot_c.py": "",
    "second/plot_alone.py": "# sphinx_gallery_parallel = False\n",
}
CHAPTERS = ["chapter-long", "chapter-short"]


def _site(scratch) -> None:
    from tests.build.conftest import EXAMPLE

    for path, extra in EXAMPLES.items():
        folder, name = path.split("/")
        (scratch.examples / folder).mkdir(exist_ok=True)
        header = scratch.examples / folder / "GALLERY_HEADER.rst"
        header.write_text(f"{folder.title()}\n{'=' * len(folder)}\n")
        title = name.removesuffix(".py").replace("_", " ")
        body = extra + LOGGING.format(name=path, sleep=2)
        text = EXAMPLE.format(title=title, underline="=" * len(title), body=body)
        (scratch.examples / folder / name).write_text(text, encoding="utf-8")
    for chapter in CHAPTERS:
        scratch.add_chapter(chapter, ["import dlguide\n" + LOGGING.format(name=chapter, sleep=0)])


def _runs(log: Path) -> list[list]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_every_page_runs_once_in_one_pool_and_the_opt_out_alone(scratch, tmp_path):
    _site(scratch)
    # The last report gives the order: chapter-long, plot_c, plot_a, plot_b, chapter-short.
    # Folder by folder, plot_c would start after plot_b, and the chapters after every example.
    seconds = {
        "docs/chapters/chapter-long.md": 40,
        "examples/second/plot_c.py": 30,
        "examples/first/plot_a.py": 20,
        "examples/first/plot_b.py": 10,
        "docs/chapters/chapter-short.md": 1,
    }
    pages = [{"kind": "?", "source": source, "wall_s": wall} for source, wall in seconds.items()]
    (scratch.docs / "_build").mkdir()
    (scratch.docs / "_build" / "report.json").write_text(json.dumps({"pages": pages}))
    log = tmp_path / "runs.jsonl"
    result = scratch.build(jobs=2, POOL_LOG=str(log))
    assert result.returncode == 0, result.output[-3000:]

    order = [name for name, _, _ in _runs(log)]
    assert sorted(order) == sorted([*EXAMPLES, *CHAPTERS]), order  # each page ran once
    assert order[0] == "second/plot_alone.py"  # alone, before the pool starts
    assert order.index("second/plot_c.py") < order.index("first/plot_b.py"), order
    assert order.index("chapter-long") < order.index("first/plot_b.py"), order

    runs = {name: (pid, parent) for name, pid, parent in _runs(log)}
    sphinx_pid = runs["second/plot_alone.py"][0]
    for name in EXAMPLES:
        if name != "second/plot_alone.py":
            assert runs[name][1] == sphinx_pid, runs  # a worker process of the Sphinx process
    for path in EXAMPLES:
        page = scratch.docs / "_build" / "html" / "auto_examples" / path.replace(".py", ".html")
        assert page.exists(), page
    # The report has every page, the chapters too (they ran before Sphinx read them).
    report = {page["source"]: page for page in result.report["pages"]}
    for source in [
        *(f"examples/{p}" for p in EXAMPLES),
        *(f"docs/chapters/{c}.md" for c in CHAPTERS),
    ]:
        assert report[source]["metrics"] == {"ran": 1.0}, source
        assert report[source]["wall_s"] > 0, source

    again = scratch.build(jobs=2, POOL_LOG=str(log))
    assert again.returncode == 0, again.output[-3000:]
    assert len(_runs(log)) == len(EXAMPLES) + len(CHAPTERS)  # nothing ran again
