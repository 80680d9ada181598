"""Link previews and search snippets: a meta description and Open Graph tags on every page.

Why this exists: sphinxext-opengraph writes these tags, but it imports matplotlib on every build
to draw social cards, which this site does not use (about 0.9 s of a 5 s no-op rebuild here), and
it took each description from the first text of the page, which on most pages was the generated
"Needs: dlguide[...]" line. This extension writes the same tags, with the description taken from
the page's first paragraph of prose.

Tags: ``description``, ``og:title``, ``og:type``, ``og:url`` (``html_baseurl`` + the page's
path), ``og:site_name`` (``project``) and ``og:description``.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

MAX_LENGTH = 200
MIN_LENGTH = 40  # shorter paragraphs (a caption, "Needs: ...") do not describe a page
# Paragraphs inside these are notes, outputs or navigation, not the page's own introduction.
_SKIPPED_PARENTS = (
    nodes.Admonition,
    nodes.topic,
    nodes.sidebar,
    nodes.table,
    nodes.footnote,
    nodes.citation,
    nodes.field_list,
    nodes.caption,
    nodes.legend,
)
_SKIPPED_CLASSES = {"dlguide-needs", "sphx-glr-script-out", "cell_output", "rubric"}


def _skipped(paragraph: nodes.paragraph) -> bool:
    node: nodes.Node | None = paragraph
    while node is not None:
        if isinstance(node, _SKIPPED_PARENTS):
            return True
        if isinstance(node, nodes.Element) and _SKIPPED_CLASSES & set(node.get("classes", [])):
            return True
        node = node.parent
    return False


def description(doctree: nodes.Node, max_length: int = MAX_LENGTH) -> str | None:
    """The page's first paragraph of prose, shortened to ``max_length`` characters at a word."""
    for paragraph in doctree.findall(nodes.paragraph):
        prose = paragraph.deepcopy()  # without footnote and citation marks ("et al.1")
        for mark in list(prose.findall(nodes.footnote_reference)):
            mark.parent.remove(mark)
        for mark in list(prose.findall(nodes.citation_reference)):
            mark.parent.remove(mark)
        text = re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(prose.astext().split()))
        if len(text) < MIN_LENGTH or _skipped(paragraph):
            continue
        if len(text) > max_length:
            text = text[: max_length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return None


def _tag(kind: str, name: str, content: str) -> str:
    return f'<meta {kind}="{name}" content="{html.escape(content, quote=True)}" />\n'


def _on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    if doctree is None:  # genindex, search and other generated pages
        return
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title", ""))).strip()
    url = app.config.html_baseurl.rstrip("/") + "/" + pagename + app.builder.out_suffix
    tags = [
        _tag("property", "og:title", title),
        _tag("property", "og:type", "website"),
        _tag("property", "og:url", url),
        _tag("property", "og:site_name", app.config.project),
    ]
    text = description(doctree)
    if text:
        tags += [_tag("name", "description", text), _tag("property", "og:description", text)]
    context["metatags"] = context.get("metatags", "") + "".join(tags)


def setup(app):
    app.connect("html-page-context", _on_html_page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
