"""One bibliography, every entry cited, every page citing its sources.

The build (``-W``) already fails on a citation whose key is not in docs/references.bib; these
tests check the other direction and the shape of each page's references.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIB = ROOT / "docs" / "references.bib"
CHAPTERS = sorted(p for p in (ROOT / "docs" / "chapters").glob("*.md") if p.stem != "index")
EXAMPLES = sorted((ROOT / "examples").rglob("plot_*.py"))
# {footcite:t}`a,b` in MyST, :footcite:p:`a` in reStructuredText (gallery text, docstrings).
CITE = re.compile(r"(?:\{|:)(?:foot)?cite(?::[a-z]+)?(?:\}|:)`([^`]+)`")


def _cited_keys(text: str) -> set[str]:
    return {key.strip() for group in CITE.findall(text) for key in group.split(",")}


def _entries():
    pybtex = pytest.importorskip("pybtex.database", reason="sphinxcontrib-bibtex's parser")
    return pybtex.parse_file(str(BIB), bib_format="bibtex").entries


def test_every_entry_is_cited_somewhere():
    sources = [
        *(ROOT / "docs").rglob("*.md"),
        *(ROOT / "docs").rglob("*.rst"),
        *EXAMPLES,
        *(ROOT / "src" / "dlguide").rglob("*.py"),
    ]
    cited = set()
    for path in sources:
        if "_build" not in path.parts and "auto_examples" not in path.parts:
            cited |= _cited_keys(path.read_text(encoding="utf-8"))
    uncited = sorted(set(_entries()) - cited)
    assert not uncited, f"entries of {BIB.name} that no page cites: {uncited}"


def test_every_entry_can_be_found():
    incomplete = []
    for key, entry in _entries().items():
        fields = {name.lower() for name in entry.fields}
        has_people = bool(entry.persons.get("author") or entry.persons.get("editor"))
        if not (has_people or "organization" in fields or "institution" in fields):
            incomplete.append(f"{key}: no author")
        if not {"title", "year"} <= fields:
            incomplete.append(f"{key}: needs title and year")
        # A work from before DOIs and ISBNs is found through its book and publisher.
        old_print = int(entry.fields.get("year", "9999")[:4]) < 1970 and "publisher" in fields
        if not (fields & {"doi", "url", "eprint", "isbn"} or old_print):
            incomplete.append(f"{key}: needs a doi, url, eprint or isbn to find it")
    assert not incomplete, "\n".join(incomplete)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_cites_and_lists_its_references(chapter):
    text = chapter.read_text(encoding="utf-8")
    assert _cited_keys(text), f"{chapter.name} cites no source"
    assert re.search(r"^## References\s*\n+```\{footbibliography\}", text, re.M), (
        f"{chapter.name} must end with a '## References' section holding {{footbibliography}}"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_gallery_example_that_cites_lists_its_references(example):
    text = example.read_text(encoding="utf-8")
    if _cited_keys(text):
        assert ".. footbibliography::" in text, f"{example.name} cites but lists no references"


def test_the_citation_pattern_reads_both_syntaxes():
    text = "{footcite:t}`he2016deep` and :footcite:p:`xiao2017fashion,lecun1998gradient`"
    assert _cited_keys(text) == {"he2016deep", "xiao2017fashion", "lecun1998gradient"}
