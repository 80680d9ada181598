"""Say on every chapter and gallery page which dlguide extras its code needs.

Why this exists: no tool maps a page's imports to the extras of pyproject.toml, and a typed line
would go stale whenever a page or dlguide's imports change.

The line "Needs: dlguide[torch,examples]" under a page's title is generated from
what the page's code imports, never typed: the code cells of a chapter (``{code-cell}`` blocks)
or the gallery script are parsed, every imported top-level package is mapped to the extra of
``pyproject.toml`` that installs it (``skimage`` -> ``scikit-image`` -> ``examples``), and every
name imported from dlguide is followed to the function or module that defines it, whose own
imports count too: ``from dlguide.data import load_sunspots`` needs ``examples``, because
``load_sunspots`` reads its data from statsmodels; ``from dlguide.data import load_digits``
needs nothing beyond dlguide.

The same scan feeds the ``{page-extras}`` table of the setup page (every page and its extras).
:func:`extras_for_code` is a pure function of the code and the package sources, tested in
tests/unit/test_page_extras.py.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]


def _source_folders() -> tuple[Path, Path]:
    """``(src, pyproject.toml)`` of the dlguide this build documents: the checkout's, or (for a
    scratch copy of docs/, as tools/preview.py makes) those of the installed editable dlguide."""
    if (ROOT / "pyproject.toml").exists() and (ROOT / "src" / "dlguide").exists():
        return ROOT / "src", ROOT / "pyproject.toml"
    from importlib.util import find_spec

    spec = find_spec("dlguide")
    src = Path(spec.origin).resolve().parents[1] if spec and spec.origin else ROOT / "src"
    return src, src.parent / "pyproject.toml"


SRC, PYPROJECT = _source_folders()


@lru_cache(maxsize=4)
def extras_of_packages(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """Map each import name installed by an extra of pyproject.toml to that extra.

    ``{"torch": "torch", "tensorflow": "keras", "skimage": "examples", ...}``. Import names come
    from the installed distributions (:func:`top_level_names`), else the distribution's own
    name. An extra that only groups others (``all``) is skipped; a package listed by two extras
    maps to the first.
    """
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    core = requirement_closure(project["dependencies"])
    by_distribution: dict[str, str] = {}
    for extra, requirements in extras.items():
        for requirement in requirements:
            name = canonicalize_name(Requirement(requirement).name)
            if name == "dlguide" or name in core:  # scipy comes with scikit-learn anyway
                continue
            by_distribution.setdefault(name, extra)
    result: dict[str, str] = {}
    for distribution, extra in by_distribution.items():
        for module in top_level_names(distribution):
            if not module.startswith("_"):
                result.setdefault(module, extra)
    for distribution, extra in by_distribution.items():
        result.setdefault(distribution.replace("-", "_"), extra)
    return result


def top_level_names(distribution: str) -> list[str]:
    """The top-level import names an installed distribution provides (``scikit-image`` ->
    ``skimage``): its ``top_level.txt``, else the first part of each file it installed, as
    ``importlib.metadata.packages_distributions`` infers them. Asking only the extras'
    distributions, not every installed one as that function does, takes 0.1 s instead of 2."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import distribution as find
    from inspect import getmodulename

    try:
        found = find(distribution)
    except PackageNotFoundError:
        return []
    listed = found.read_text("top_level.txt")
    if listed:
        return sorted(set(listed.split()))
    names = {
        path.parts[0] if len(path.parts) > 1 else getmodulename(str(path))
        for path in found.files or []
    }
    return sorted(name for name in names if name and name.isidentifier())


def requirement_closure(requirements: Iterable[str]) -> set[str]:
    """Distributions that installing ``requirements`` brings, as far as the installed
    packages' metadata tell (markers evaluated for this machine, extras not followed)."""
    from importlib.metadata import PackageNotFoundError, requires

    todo, found = list(requirements), set()
    while todo:
        requirement = Requirement(todo.pop())
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        with contextlib.suppress(PackageNotFoundError):
            todo += requires(name) or []
    return found


def extra_order(pyproject: Path = PYPROJECT) -> list[str]:
    """The extras in pyproject's order (torch, keras, examples, ...)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return list(data["project"].get("optional-dependencies", {}))


# -- what a piece of code imports ---------------------------------------------------------------
def _strip_magics(code: str) -> str:
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()
    )


def imports_of(code: str) -> set[tuple[str, str | None]]:
    """``(module, name)`` pairs imported by ``code``: ``import a.b`` -> ("a.b", None),
    ``from a.b import c`` -> ("a.b", "c"). Relative imports are left out."""
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(ast.parse(_strip_magics(code))):
        if isinstance(node, ast.Import):
            found |= {(alias.name, None) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {(node.module, alias.name) for alias in node.names}
    return found


def _module_file(module: str, src: Path) -> Path | None:
    base = src.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


@lru_cache(maxsize=256)
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _packages_in(nodes_: Iterable[ast.AST], optional: Mapping[str, str]) -> set[str]:
    """Top-level optional packages named by imports, or by string arguments of calls
    (``optional_import("mlxtend.data")``, ``find_spec("statsmodels")``), in these nodes."""
    found = set()
    for node in nodes_:
        for sub in ast.walk(node):
            names: list[str] = []
            if isinstance(sub, ast.Import):
                names = [alias.name for alias in sub.names]
            elif isinstance(sub, ast.ImportFrom) and sub.module and not sub.level:
                names = [sub.module]
            elif isinstance(sub, ast.Call):
                names = [
                    arg.value
                    for arg in sub.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
            found |= {n.split(".")[0] for n in names if n.split(".")[0] in optional}
    return found


def _module_level(tree: ast.Module) -> list[ast.AST]:
    """Statements run when the module is imported (not function or class bodies)."""
    out: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif isinstance(node, ast.Try | ast.If):
            out += [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
    return out


def _definitions(tree: ast.Module) -> dict[str, ast.AST]:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def _needs_of_name(
    module: str, name: str | None, optional: Mapping[str, str], src: Path, seen: set
) -> set[str]:
    """Optional packages that importing ``name`` from dlguide module ``module`` and using it
    needs: the defining module's import-time imports, and the imports inside the definition
    and the module's functions it calls."""
    key = (module, name)
    if key in seen:
        return set()
    seen.add(key)
    path = _module_file(module, src)
    if path is None:
        return set()
    tree = _parse(path)
    found = _packages_in(_module_level(tree), optional)
    # dlguide modules this module imports at import time (dlguide.torch imports its models).
    for node in _module_level(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dlguide"):
            for alias in node.names:
                if name is not None and alias.asname in (None, name) and alias.name == name:
                    found |= _needs_of_name(node.module, alias.name, optional, src, seen)
                elif _module_file(f"{node.module}.{alias.name}", src):
                    found |= _needs_of_name(
                        f"{node.module}.{alias.name}", None, optional, src, seen
                    )
                else:
                    found |= _needs_of_name(node.module, None, optional, src, seen)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("dlguide"):
                    found |= _needs_of_name(alias.name, None, optional, src, seen)
    if name is None:
        return found
    if _module_file(f"{module}.{name}", src):  # from dlguide import data
        return found | _needs_of_name(f"{module}.{name}", None, optional, src, seen)
    definitions = _definitions(tree)
    todo, done = [name], set()
    while todo:  # the definition, and the module's own functions it calls
        current = todo.pop()
        if current in done or current not in definitions:
            continue
        done.add(current)
        body = definitions[current]
        found |= _packages_in([body], optional)
        todo += [
            sub.id for sub in ast.walk(body) if isinstance(sub, ast.Name) and sub.id in definitions
        ]
    return found


def extras_for_code(
    code: str, optional: Mapping[str, str] | None = None, src: Path = SRC
) -> set[str]:
    """The extras of pyproject.toml that running ``code`` needs.

    Args:
        code: Python source (a gallery script, or a chapter's code cells joined).
        optional: Import name -> extra; :func:`extras_of_packages` by default.
        src: The folder holding the ``dlguide`` package sources.
    """
    optional = extras_of_packages() if optional is None else optional
    packages: set[str] = set()
    seen: set = set()
    for module, name in imports_of(code):
        top = module.split(".")[0]
        if top == "dlguide":
            packages |= _needs_of_name(module, name, optional, src, seen)
        elif top in optional:
            packages.add(top)
    return {optional[package] for package in packages}


def code_of_source(path: Path) -> str:
    """The Python code of a page's source: a gallery script, or a MyST chapter's code cells
    (as myst-nb's own reader finds them, the cells it executes)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return text
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(text, path=path)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def needs_requirement(extras: Iterable[str], order: list[str] | None = None) -> str:
    """``dlguide[torch,examples]`` (or ``dlguide``): what to install, in pip's requirement form.

    Not a ``pip install`` command: dlguide has no release on the package index yet, and the
    setup page (linked beside it) gives the commands that work.
    """
    order = extra_order() if order is None else order
    chosen = sorted(set(extras), key=lambda e: order.index(e) if e in order else len(order))
    return f"dlguide[{','.join(chosen)}]" if chosen else "dlguide"


# -- pages ---------------------------------------------------------------------------------------
def page_source(app, docname: str) -> Path | None:
    """The file whose code a page runs: a chapter's .md, or a gallery page's script."""
    if docname.startswith("chapters/") and docname != "chapters/index":
        path = Path(app.env.doc2path(docname))
        return path if path.suffix == ".md" else None
    if docname.startswith("auto_examples/") and not docname.endswith("index"):
        conf = getattr(app.config, "sphinx_gallery_conf", {}) or {}
        for folder in conf.get("examples_dirs", []):
            base = Path(folder)
            if not base.is_absolute():
                base = Path(app.srcdir) / base
            script = base / (docname.removeprefix("auto_examples/") + ".py")
            if script.exists():
                return script
    return None


def _needs_paragraph(app, fromdocname: str, extras: set[str]):
    paragraph = nodes.paragraph(classes=["dlguide-needs"])
    paragraph += nodes.strong(text="Needs: ")
    paragraph += nodes.literal(text=needs_requirement(extras))
    if "setup" in app.env.found_docs:
        paragraph += nodes.Text(" (")
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget="/setup", refexplicit=True
        )
        ref += nodes.inline(text="how to install")
        paragraph += ref
        paragraph += nodes.Text(")")
    return paragraph


def _on_doctree_read(app, doctree) -> None:
    docname = app.env.docname
    source = page_source(app, docname)
    if source is None:
        return
    extras = extras_for_code(code_of_source(source))
    app.env.note_dependency(str(source))
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is None:
        return
    section = title.parent
    section.insert(section.index(title) + 1, _needs_paragraph(app, docname, extras))


class page_extras_table(nodes.General, nodes.Element):
    """Placeholder for the table, filled once every page has been read."""


class PageExtrasDirective(SphinxDirective):
    """``{page-extras}``: a table of every chapter and gallery page and the extras it needs."""

    def run(self):
        return [page_extras_table("")]


def _on_env_updated(app, env) -> list[str]:
    """Every page's extras, for the table, kept in the environment between builds.

    Scanning a page costs about 0.15 s (a chapter is parsed as a notebook, dlguide's sources are
    followed), so a page is scanned again only when its source or dlguide changed: the key is a
    hash of both. Runs in the main process after reading, so the writers (forked later) see it.
    """
    cache: dict[str, tuple[str, set[str]]] = getattr(env, "dlguide_page_extras", {})
    dlguide = str(getattr(app.config, "DLGUIDE_DIGEST", ""))
    fresh: dict[str, tuple[str, set[str]]] = {}
    for docname in sorted(env.all_docs):
        source = page_source(app, docname)
        if source is None:
            continue
        key = hashlib.sha256(source.read_bytes() + dlguide.encode()).hexdigest()
        hit = cache.get(docname)
        fresh[docname] = (
            hit if hit and hit[0] == key else (key, extras_for_code(code_of_source(source)))
        )
    env.dlguide_page_extras = fresh
    return []


def _on_doctree_resolved(app, doctree, fromdocname) -> None:
    for node in list(doctree.findall(page_extras_table)):
        cached = getattr(app.env, "dlguide_page_extras", {})
        pages = {docname: extras for docname, (_, extras) in cached.items()}
        if not pages:
            node.replace_self(nodes.paragraph(text="No chapter or gallery page in this build."))
            continue
        order = extra_order()
        table = nodes.table(classes=["dlguide-page-extras"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=3)
        group += nodes.colspec(colwidth=2)
        head = nodes.thead()
        row = nodes.row()
        for text in ("page", "needs"):
            row += nodes.entry("", nodes.paragraph(text=text))
        head += row
        group += head
        body = nodes.tbody()
        for docname in sorted(pages, key=lambda d: (not d.startswith("chapters/"), d)):
            row = nodes.row()
            ref = nodes.reference("", "", internal=True)
            ref["refuri"] = app.builder.get_relative_uri(fromdocname, docname)
            title = app.env.titles.get(docname)
            ref += nodes.Text(title.astext() if title else docname)
            row += nodes.entry("", nodes.paragraph("", "", ref))
            extras = pages[docname]
            text = ",".join(sorted(extras, key=order.index)) if extras else "(dlguide only)"
            row += nodes.entry("", nodes.paragraph("", "", nodes.literal(text=text)))
            body += row
        group += body
        node.replace_self(table)


def _on_env_get_outdated(app, env, added, changed, removed):
    # The table lists every page: rebuild the pages holding it when any page changed.
    if not (added or changed or removed):
        return []
    return [doc for doc in env.all_docs if doc == "setup"]


def setup(app):
    app.add_node(page_extras_table)
    app.add_directive("page-extras", PageExtrasDirective)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-updated", _on_env_updated)
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {
        "version": "0.1",
        "env_version": 1,  # the data it keeps in the environment
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
