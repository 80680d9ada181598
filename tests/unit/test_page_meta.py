"""docs/_ext/page_meta.py describes a page by its first paragraph of prose."""

from __future__ import annotations

import sys
from pathlib import Path

from docutils.core import publish_doctree

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))

from page_meta import description

PAGE = """
Deep learning frameworks
========================

Short line.

.. note:: An admonition with a paragraph long enough to be taken, were it not a note.

Every network of the previous chapters could be written in NumPy [#]_. A framework adds tensors
on GPUs, automatic gradients, layers and optimisers, and ways to save and serve a model.

.. [#] A footnote whose mark must not end up in the description.
"""


def test_the_first_paragraph_of_prose_without_notes_or_footnote_marks():
    text = description(publish_doctree(PAGE))
    assert text is not None
    assert text.startswith("Every network of the previous chapters could be written in NumPy.")
    assert "[" not in text and "1" not in text


def test_long_paragraphs_are_cut_at_a_word():
    text = description(publish_doctree(PAGE), max_length=60)
    assert text == "Every network of the previous chapters could be written in…"
    assert description(publish_doctree("Title\n=====\n\nToo short.\n")) is None
