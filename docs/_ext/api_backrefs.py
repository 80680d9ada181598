"""List, under an API entry, the chapters that use it (sphinx-gallery lists the examples).

``.. used-in-chapters:: dlguide.torch.LeNet`` scans the chapter sources for the object's full
name or for an import of it (``from dlguide.torch import LeNet``, or from its defining module,
``from dlguide.torch.cnn import LeNet``) and renders links to those chapters.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective


def _modules_of(fullname: str) -> set[str]:
    module, _, name = fullname.rpartition(".")
    modules = {module}
    try:
        obj = getattr(importlib.import_module(module), name)
        defining = getattr(obj, "__module__", None)
        if defining:
            modules.add(defining)
    except Exception:  # an unimportable name simply matches by its text
        pass
    return modules


def _uses(text: str, fullname: str) -> bool:
    if re.search(rf"\b{re.escape(fullname)}\b", text):
        return True
    name = fullname.rpartition(".")[2]
    flat = re.sub(r"\(\s*([^)]*?)\s*\)", lambda m: m.group(1).replace("\n", " "), text)
    for module in _modules_of(fullname):
        for imported in re.findall(rf"^\s*from {re.escape(module)} import ([^\n]+)", flat, re.M):
            names = [part.split(" as ")[0].strip(" ,") for part in imported.split(",")]
            if name in names:
                return True
    return False


class UsedInChapters(SphinxDirective):
    required_arguments = 1

    def run(self):
        fullname = self.arguments[0]
        chapters = Path(self.env.srcdir) / "chapters"
        found = []
        for path in sorted(chapters.glob("*.md")):
            if path.stem == "index":
                continue
            self.env.note_dependency(str(path))
            if _uses(path.read_text(encoding="utf-8"), fullname):
                found.append(f"chapters/{path.stem}")
        if not found:
            return []
        rubric = nodes.rubric(text=f"Chapters using {fullname.rpartition('.')[2]}")
        items = nodes.bullet_list()
        for docname in found:
            ref = addnodes.pending_xref(
                "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=False
            )
            ref += nodes.inline(text=docname)
            items += nodes.list_item("", nodes.paragraph("", "", ref))
        return [rubric, items]


def _candidates(module: str | None, target: str) -> list[str]:
    """Where a short reference in a family module's docstring may point: the same name in the
    package that re-exports it (``margin_loss`` in ``dlguide.torch.capsule`` is
    ``dlguide.torch.margin_loss``)."""
    names = []
    parts = (module or "").split(".")
    for end in range(len(parts), 0, -1):
        names.append(".".join([*parts[:end], target]))
    if target.startswith("dlguide."):
        pieces = target.split(".")
        for drop in range(2, len(pieces) - 1):
            names.append(".".join(pieces[:drop] + pieces[drop + 1 :]))
    return names


def _on_missing_reference(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.get_domain("py")
    for candidate in _candidates(node.get("py:module"), target):
        if candidate == target:
            continue
        retry = node.deepcopy()
        retry["reftarget"] = candidate
        retry["py:module"] = None
        retry["py:class"] = None
        resolved = domain.resolve_xref(
            env, node.get("refdoc", ""), app.builder, node["reftype"], candidate, retry, contnode
        )
        if resolved is not None:
            return resolved
    return None


def setup(app):
    app.add_directive("used-in-chapters", UsedInChapters)
    app.connect("missing-reference", _on_missing_reference)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
