"""Load each page's CSS and JavaScript only where it is used, to keep text pages light.

Why this exists: sphinx-gallery, myst-nb, sphinx-design and sphinx-copybutton add their files to
every page, and none has a setting to limit them to the pages that use them. Dropping them from
a page of text takes it from about 60 KB gzipped with its CSS and JS to about 45.

Each file is named exactly as its extension's ``setup()`` adds it, and kept on a page whose HTML
holds the markup it styles or drives (gallery classes ``sphx-glr``, myst-nb's cell containers,
sphinx-design's ``sd-`` classes, highlighted code for the copy button).
"""

from __future__ import annotations

from fnmatch import fnmatch

# (files, markers): the files are dropped from a page whose body holds none of the markers.
_OPTIONAL = [
    (
        [
            *("sg_gallery.css", "sg_gallery-binder.css", "sg_gallery-dataframe.css"),
            *("sg_gallery-rendered-html.css", "sg-tags.js"),
        ],
        ["sphx-glr"],
    ),
    (["mystnb.*.css"], ["cell_output", "cell docutils container"]),  # named by its hash
    (["sphinx-design.min.css", "design-tabs.js"], ["sd-"]),
    (["copybutton.css", "copybutton.js", "clipboard.min.js"], ["highlight"]),
]


def _name(asset) -> str:
    """The file name of a Sphinx asset (an object with ``filename``, or a plain string)."""
    return str(getattr(asset, "filename", asset)).rpartition("/")[2].partition("?")[0]


def _on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    if doctree is None:
        return
    body = context.get("body", "")
    unused = [
        pattern
        for files, markers in _OPTIONAL
        if not any(marker in body for marker in markers)
        for pattern in files
    ]
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [
                asset
                for asset in context[key]
                if not any(fnmatch(_name(asset), pattern) for pattern in unused)
            ]


def setup(app):
    app.connect("html-page-context", _on_html_page_context, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
