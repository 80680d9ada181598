"""Put executed PyTorch and Keras code cells side by side in synchronised tabs.

Why this exists: sphinx-design's tabs hold only what is written inside them, and myst-nb cannot
execute a cell written there; no tool turns executed cells into tabs.

myst-nb cannot execute a ``{code-cell}`` nested inside a ``{tab-item}`` (a notebook has no
nesting), so chapters write the two cells one after the other, tagged::

    ```{code-cell} ipython3
    :tags: [pytorch]
    ...
    ```
    ```{code-cell} ipython3
    :tags: [keras]
    ...
    ```

Both cells run, in order. After parsing, this extension wraps each run of consecutive tagged cells
in a sphinx-design tab set of the sync group ``framework``, the same group that hand-written
``{tab-set}`` blocks use (``:sync-group: framework`` with ``:sync: pytorch`` or ``:sync: keras``),
so a reader's choice holds on every page and, through sphinx-design's local storage, after a reload.
"""

from __future__ import annotations

from docutils import nodes
from sphinx_design.shared import create_component

SYNC_GROUP = "framework"
FRAMEWORKS = {"pytorch": "PyTorch", "keras": "Keras"}


def _framework(node: nodes.Node) -> str | None:
    if not isinstance(node, nodes.container) or node.get("nb_element") != "cell_code":
        return None
    tags = node.get("cell_metadata", {}).get("tags", [])
    found = [name for name in FRAMEWORKS if name in tags]
    return found[0] if found else None


def _tab_item(framework: str, cells: list[nodes.Node]) -> nodes.container:
    label = nodes.rubric(FRAMEWORKS[framework], FRAMEWORKS[framework], classes=["sd-tab-label"])
    label["sync_id"] = framework
    label["sync_group"] = SYNC_GROUP
    content = create_component("tab-content", classes=["sd-tab-content"], children=cells)
    return create_component(
        "tab-item", classes=["sd-tab-item"], selected=False, children=[label, content]
    )


def _wrap_runs(parent: nodes.Element) -> None:
    children = list(parent.children)
    index = 0
    while index < len(children):
        if _framework(children[index]) is None:
            if isinstance(children[index], nodes.Element):
                _wrap_runs(children[index])
            index += 1
            continue
        run_end = index
        while run_end < len(children) and _framework(children[run_end]) is not None:
            run_end += 1
        run = children[index:run_end]
        groups: dict[str, list[nodes.Node]] = {}
        for cell in run:
            groups.setdefault(_framework(cell), []).append(cell)
        tab_set = create_component("tab-set", classes=["sd-tab-set", "dlguide-framework-tabs"])
        for framework in FRAMEWORKS:
            if framework in groups:
                tab_set += _tab_item(framework, groups[framework])
        position = parent.index(run[0])
        for cell in run:
            parent.remove(cell)
        parent.insert(position, tab_set)
        children = list(parent.children)
        index = position + 1


def _on_doctree_read(app, doctree) -> None:
    _wrap_runs(doctree)


def setup(app):
    app.connect("doctree-read", _on_doctree_read)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
