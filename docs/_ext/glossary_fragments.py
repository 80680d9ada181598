"""Assemble the glossary page from one fragment per chapter.

Why this exists: Sphinx's ``glossary`` directive reads its terms from its own content only (an
``{include}`` cannot feed it), and two glossary blocks are sorted apart, not as one list.

Each chapter's terms live in ``docs/_glossary/<chapter>.md`` as entries of a MyST ``{glossary}``
block (a term on one line, its definition indented below). This extension puts every fragment's
entries into the single sorted glossary of ``glossary.md``, where the line
``<!-- glossary-entries -->`` stands, so chapters can link a term on first use with
``{term}`Backpropagation``` and authors never edit one shared file at once.
"""

from __future__ import annotations

from pathlib import Path

MARKER = "<!-- glossary-entries -->"


def _on_source_read(app, docname, source) -> None:
    if docname != "glossary" or MARKER not in source[0]:
        return
    folder = Path(app.srcdir) / "_glossary"
    entries = []
    for fragment in sorted(folder.glob("*.md")):
        app.env.note_dependency(str(fragment))
        text = fragment.read_text(encoding="utf-8").strip("\n")
        if text:
            entries.append(text)
    block = "```{glossary}\n:sorted:\n\n" + "\n\n".join(entries) + "\n```\n"
    source[0] = source[0].replace(MARKER, block)


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
