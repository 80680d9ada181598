"""Offer each chapter as an executed notebook and as its MyST source, as the gallery does.

Why this exists: sphinx-gallery offers every example's script and notebook, but myst-nb has no
download setting and furo no download button (sphinx-book-theme's is theme-bound), and the
notebook must run outside the build, without myst-nb.

myst-nb executes every chapter and writes the executed notebook, outputs included, to
``<outdir>/../jupyter_execute/<docname>.ipynb`` (or, for a page taken from its cache, the
notebook without outputs: those are then taken from the same cache). On each chapter page
(``chapters/*`` and ``setup``) this extension copies that notebook and the page's MyST source
into the HTML output, under ``_downloads/<docname>.ipynb`` and ``_downloads/<docname>.md``, and
renders a download box below the page title, styled like Furo's admonitions. The box is added
to the page's HTML, not to its doctree, so that Sphinx's search index (which indexes raw HTML
nodes) keeps only the page's own words.

The copied notebook is the build's own, with one change so that it runs outside the site's build:
``from myst_nb import glue`` (the pages pass measured numbers to their prose with it) falls back to
a function that shows the value when myst-nb is not installed.
"""

from __future__ import annotations

import json
from pathlib import Path

DOWNLOADS = "_downloads"
GLUE_IMPORT = "from myst_nb import glue"
GLUE_FALLBACK = """try:
    from myst_nb import glue
except ImportError:  # outside the site's build: show the value instead of gluing it
    def glue(name, value, display=True):
        if display:
            from IPython.display import display as _show

            _show(value)"""


def is_chapter(docname: str) -> bool:
    """Pages that offer their notebook: every chapter (not the chapter index) and the setup page."""
    if docname == "setup":
        return True
    return docname.startswith("chapters/") and docname != "chapters/index"


def portable_notebook(text: str) -> str:
    """The executed notebook with the myst-nb import made optional (outputs unchanged)."""
    notebook = json.loads(text)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        joined = "".join(source) if isinstance(source, list) else source
        lines = joined.split("\n")
        if GLUE_IMPORT not in (line.strip() for line in lines):
            continue
        lines = [GLUE_FALLBACK if line.strip() == GLUE_IMPORT else line for line in lines]
        cell["source"] = "\n".join(lines)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _with_outputs(app, executed: Path) -> str:
    """The executed notebook's text. When myst-nb took the page from its cache, it writes the
    notebook as read, without outputs (myst-nb 1.4 saves its input object, not the cached one):
    then the outputs come from the same cache, matched on the code cells as myst-nb matches."""
    import nbformat

    notebook = nbformat.reads(executed.read_text(encoding="utf-8"), as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code or any(cell.get("outputs") for cell in code):
        return nbformat.writes(notebook)
    from jupyter_cache import get_cache

    _, merged = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(notebook)
    return nbformat.writes(merged)


def _box(ipynb_href: str, md_href: str, name: str) -> str:
    return (
        '<div class="admonition note dlguide-downloads">'
        '<p class="admonition-title">Run this page yourself</p>'
        "<p>"
        f'<a class="reference download internal" download="" href="{ipynb_href}">'
        f'<code class="xref download docutils literal notranslate">{name}.ipynb</code></a>'
        " (Jupyter notebook, with the outputs of this build) or "
        f'<a class="reference download internal" download="" href="{md_href}">'
        f'<code class="xref download docutils literal notranslate">{name}.md</code></a>'
        " (its MyST source, which Jupyter opens as a notebook with the jupytext extension). "
        "It needs the packages the line under the title names, and Jupyter "
        '(<code class="docutils literal notranslate">pip install jupyterlab</code>); '
        "it runs from any folder.</p>"
        "</div>"
    )


def _on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or not is_chapter(pagename) or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute" / f"{pagename}.ipynb"
    source = Path(app.env.doc2path(pagename))
    if not executed.is_file():
        raise FileNotFoundError(
            f"chapter_downloads: no executed notebook for {pagename} at {executed}; "
            "is the page a MyST notebook (kernelspec in its front matter)?"
        )
    target = outdir / DOWNLOADS / pagename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_suffix(".ipynb").write_text(
        portable_notebook(_with_outputs(app, executed)), encoding="utf-8"
    )
    target.with_suffix(".md").write_bytes(source.read_bytes())

    pathto = context["pathto"]
    name = pagename.rsplit("/", 1)[-1]
    box = _box(
        pathto(f"{DOWNLOADS}/{pagename}.ipynb", 1), pathto(f"{DOWNLOADS}/{pagename}.md", 1), name
    )
    body = context.get("body", "")
    end_of_title = body.find("</h1>")
    if end_of_title == -1:
        context["body"] = box + body
    else:
        cut = end_of_title + len("</h1>")
        context["body"] = body[:cut] + box + body[cut:]


def setup(app):
    app.connect("html-page-context", _on_html_page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
