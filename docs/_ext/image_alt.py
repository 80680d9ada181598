"""Every image on the site says what it shows.

Why this exists: Sphinx does not check alt text, and sphinx-gallery writes its thumbnails with an
empty ``:alt:``; a figure without a description would reach readers of screen readers as nothing.

- sphinx-gallery thumbnails carry an empty alt text; they get "Thumbnail: <example title>".
- Any other image without a description (no alt, or only a file name or matplotlib's
  ``<Figure size ...>``) is a build warning, and so a build failure under ``-W``. In a chapter,
  describe a figure through the cell's metadata::

      ```{code-cell} ipython3
      :mystnb:
      :  image:
      :    alt: "Training and validation loss of the MLP over 30 epochs"
      ```

  In a gallery example, give the figure a title (``fig.suptitle(...)``): sphinx-gallery uses it.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
UNDESCRIBED = re.compile(r"^(<Figure size.*|[\w./-]+\.(png|jpe?g|svg|gif))$")


def _thumbnail_title(image: nodes.image) -> str:
    parent = image.parent
    for sibling in parent.children[parent.index(image) + 1 :]:
        text = sibling.astext().strip()
        if text:
            return text
    return "gallery example"


def _on_doctree_resolved(app, doctree, docname) -> None:
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        alt = (image.get("alt") or "").strip()
        if "/thumb/sphx_glr_" in uri and not alt:
            image["alt"] = f"Thumbnail: {_thumbnail_title(image)}"
            continue
        if not alt or UNDESCRIBED.match(alt):
            logger.warning(
                f"image {uri} has no alt text that says what it shows (got {alt!r}); in a chapter "
                'add `:mystnb:\\n:  image:\\n:    alt: "..."` to the cell, in an example give the '
                "figure a title",
                location=image if image.source else docname,
                type="dlguide",
                subtype="alt",
            )


def setup(app):
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
