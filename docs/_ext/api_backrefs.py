"""List, under an API entry, the chapters that use it, and link re-exported names.

Why this exists: sphinx-gallery's ``minigallery`` lists the examples using an object, but no tool
lists the MyST chapters; and Sphinx resolves a short name in a family module's docstring only in
that module, while dlguide documents the object where its package re-exports it.

``.. used-in-chapters:: dlguide.torch.LeNet`` scans the chapter sources for the object's full
name or for an import of it (``from dlguide.torch import LeNet``, or from its defining module,
``from dlguide.torch.cnn import LeNet``) and renders links to those chapters.

A Python reference that Sphinx cannot resolve is retried under the names a parent package gives
the *same* object (``margin_loss`` in ``dlguide.torch.capsule`` -> ``dlguide.torch.margin_loss``,
checked with ``is``); anything else stays unresolved, so ``nitpicky`` still reports it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective


def _modules_of(fullname: str) -> set[str]:
    modules = {fullname.rpartition(".")[0]}
    found = _lookup(fullname)
    defining = getattr(found[2], "__module__", None) if found else None
    if defining:  # an unimportable name matches by its text only
        modules.add(defining)
    return modules


def _uses(text: str, fullname: str, modules: Iterable[str] | None = None) -> bool:
    """Whether chapter ``text`` names ``fullname`` or imports it from one of ``modules`` (its
    package and its defining module, by default looked up by importing it)."""
    if re.search(rf"\b{re.escape(fullname)}\b", text):
        return True
    name = fullname.rpartition(".")[2]
    flat = re.sub(r"\(\s*([^)]*?)\s*\)", lambda m: m.group(1).replace("\n", " "), text)
    for module in _modules_of(fullname) if modules is None else modules:
        for imported in re.findall(rf"^\s*from {re.escape(module)} import ([^\n]+)", flat, re.M):
            names = [part.split(" as ")[0].strip(" ,") for part in imported.split(",")]
            if name in names:
                return True
    return False


def _chapters_using(srcdir: str, fullname: str, modules: Iterable[str]) -> list[str]:
    chapters = Path(srcdir) / "chapters"
    return [
        f"chapters/{path.stem}"
        for path in sorted(chapters.glob("*.md"))
        if path.stem != "index" and _uses(path.read_text(encoding="utf-8"), fullname, modules)
    ]


class UsedInChapters(SphinxDirective):
    """The list depends on every chapter, but an API page is read again only when its list
    would change (see :func:`_on_env_get_outdated`), not whenever a chapter is edited: that
    would re-read and re-write all ~150 API pages, most of a minute, for one edited sentence."""

    required_arguments = 1

    def run(self):
        fullname = self.arguments[0]
        modules = sorted(_modules_of(fullname))
        found = _chapters_using(self.env.srcdir, fullname, modules)
        uses = _used_in(self.env)
        uses[self.env.docname] = [*uses.get(self.env.docname, []), (fullname, modules, found)]
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


@cache
def _lookup(dotted: str) -> tuple[str, str, object] | None:
    """``(module, rest, object)`` for a dotted name Python can import (``rest`` is the part
    after the longest importable module), or None."""
    parts = dotted.split(".")
    if not all(part.isidentifier() for part in parts):  # "array-like", "list[int]", ""
        return None
    for split in range(len(parts), 0, -1):
        module = ".".join(parts[:split])
        try:
            obj = importlib.import_module(module)
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return module, ".".join(parts[split:]), obj
    return None


def _documented_names(module: str | None, target: str) -> list[str]:
    """The names under which a parent package re-exports the very object ``target`` names
    (looked up from ``module``, as Python would): ``margin_loss`` written in
    ``dlguide.torch.capsule`` is ``dlguide.torch.margin_loss``. Only the same object counts."""
    found = (_lookup(f"{module}.{target}") if module else None) or _lookup(target)
    if found is None or not found[1]:
        return []
    defined_in, rest, obj = found
    parts = defined_in.split(".")
    names = []
    for end in range(len(parts) - 1, 0, -1):
        name = ".".join([*parts[:end], rest])
        again = _lookup(name)
        if again is not None and again[2] is obj:
            names.append(name)
    return names


def _on_missing_reference(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    for name in _documented_names(node.get("py:module"), node.get("reftarget", "")):
        retry = node.deepcopy()
        retry["reftarget"] = name
        retry["py:module"] = None
        retry["py:class"] = None
        resolved = domain.resolve_xref(
            env, node.get("refdoc", ""), app.builder, node["reftype"], name, retry, contnode
        )
        if resolved is not None:
            return resolved
    return None


# -- keeping the lists current ------------------------------------------------------------------
def _used_in(env) -> dict[str, list[tuple[str, list[str], list[str]]]]:
    """docname -> [(object, modules it is imported from, chapters using it)], per directive."""
    if not hasattr(env, "dlguide_used_in"):
        env.dlguide_used_in = {}
    return env.dlguide_used_in


def _on_env_get_outdated(app, env, added, changed, removed):
    if not any(doc.startswith("chapters/") for doc in (*added, *changed, *removed)):
        return []
    return [
        docname
        for docname, entries in _used_in(env).items()
        if any(
            _chapters_using(env.srcdir, fullname, modules) != found
            for fullname, modules, found in entries
        )
    ]


def _on_env_purge_doc(app, env, docname) -> None:
    _used_in(env).pop(docname, None)


def _on_env_merge_info(app, env, docnames, other) -> None:
    # Sphinx's parallel readers fill their own copy of the environment.
    for docname in docnames:
        if docname in _used_in(other):
            _used_in(env)[docname] = _used_in(other)[docname]


def setup(app):
    app.add_directive("used-in-chapters", UsedInChapters)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
    app.connect("missing-reference", _on_missing_reference)
    return {
        "version": "0.1",
        "env_version": 1,  # the data it keeps in the environment
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
