"""Math rendered to MathML when the site is built: formulas with no JavaScript and no web fonts.

Why this exists: Sphinx's MathJax renderer sends every page with math 1.1 MB of script that
typesets in the reader's browser (about a second of main-thread work on a phone), and a CDN
copy would break the offline site. Every current browser renders MathML Core natively, so the
LaTeX of each formula is converted once, here, with latex2mathml. A formula it cannot convert
fails the build, naming the formula.
"""

from __future__ import annotations

import re

import latex2mathml.exceptions
from docutils import nodes
from latex2mathml.converter import convert
from sphinx.errors import ExtensionError

# latex2mathml's own errors share no base class; its parser also fails with these built-ins.
_CONVERSION_ERRORS = (
    *(v for v in vars(latex2mathml.exceptions).values() if isinstance(v, type)),
    IndexError,
    KeyError,
    ValueError,
)
# Spellings latex2mathml does not know, and their equivalents it renders.
_SPELLINGS = [
    (re.compile(r"\\(begin|end)\{(aligned|gathered)\}"), r"\\\1{align*}"),
    # A sized double bar: latex2mathml would print the command; drop the size.
    (re.compile(r"\\(?:big|Big|bigg|Bigg)[lr]?(?:\\\||\\Vert|\\[lr]Vert)"), r"\\Vert"),
]


def _mathml(latex: str, *, display: bool) -> str:
    source = latex.strip()
    for pattern, replacement in _SPELLINGS:
        source = pattern.sub(replacement, source)
    try:
        mathml = convert(source, display="block" if display else "inline")
    except _CONVERSION_ERRORS as error:
        raise ExtensionError(
            f"cannot render this formula as MathML: {latex!r} ({error})"
        ) from error
    # An unknown command comes out as its own text, an unknown environment leaves its '&'s.
    text = re.sub(r"<[^>]+>", "", mathml)
    if "\\" in text or "<mi>&</mi>" in mathml:
        raise ExtensionError(f"MathML of this formula would show raw LaTeX: {latex!r}")
    return mathml


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_mathml(node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math"))
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
    # Sphinx's convention: blank lines separate equations of one block.
    for part in node.astext().split("\n\n"):
        if part.strip():
            self.body.append(_mathml(part, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
