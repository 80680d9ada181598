"""Facts the setup page states, read at build time instead of typed.

Why this exists: the Python version, the GPU command, the install size and the cost of the pages
change with pyproject.toml, the installed packages and each build; MyST substitutions carry
values but no tool computes these, so a typed copy would go stale.

- ``{{ requires_python }}`` and ``{{ min_python }}`` (MyST substitutions): from pyproject.toml's
  ``requires-python``, so the page always matches the package.
- ``{gpu-install}``: the Linux NVIDIA command with the complete package list, built from the
  ``keras`` extra of pyproject.toml with ``tensorflow-cpu`` swapped for ``tensorflow[and-cuda]``.
- ``{install-size}``: the disk space that the CPU-only ``dlguide[all]`` set takes, summed over the
  installed files of every distribution it brings, in the environment that built the page.
- ``{page-costs}``: the slowest page and the largest peak memory of one page in this build (from
  the build report, docs/_ext/dlguide_report.py), with a link to the full table.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path

from dlguide_report import all_pages
from docutils import nodes
from page_extras import PYPROJECT, requirement_closure
from sphinx.util.docutils import SphinxDirective


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def min_python(requires: str) -> str:
    """``">=3.10"`` -> ``"3.10"``."""
    match = re.search(r">=\s*([\d.]+)", requires)
    return match.group(1) if match else requires


def gpu_packages() -> list[str]:
    """The keras extra for an NVIDIA GPU on Linux: tensorflow[and-cuda] for tensorflow-cpu."""
    out = []
    for requirement in _project()["optional-dependencies"]["keras"]:
        name, _, marker = requirement.partition(";")
        name = name.strip()
        if "darwin" in marker and "!=" not in marker:
            continue  # the macOS line
        if name.startswith("tensorflow-cpu"):
            name = "tensorflow[and-cuda]" + name.removeprefix("tensorflow-cpu")
        out.append(name)
    return out


class GpuInstall(SphinxDirective):
    """``{gpu-install}``: both frameworks with NVIDIA GPU support on Linux (or WSL2)."""

    def run(self):
        url = self.config.dlguide_repository_url or None
        dlguide = f'"dlguide[torch,examples] @ git+{url}"' if url else '-e ".[torch,examples]"'
        tf = " ".join(f'"{p}"' for p in gpu_packages())
        text = f"pip install {tf}\npip install {dlguide}"
        return [nodes.literal_block(text, text, language="bash")]


def _distribution_size(name: str) -> int:
    from importlib.metadata import distribution

    total = 0
    for file in distribution(name).files or []:
        path = Path(file.locate())
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def installed_size_gb(extras: str = "all") -> float:
    """Disk space of the distributions ``dlguide[extras]`` brings, as installed here (GB)."""
    project = _project()
    requirements = list(project["dependencies"])
    groups = project["optional-dependencies"]
    todo = [extras]
    while todo:
        for requirement in groups.get(todo.pop(), []):
            match = re.match(r"dlguide\[([^\]]+)\]", requirement)
            if match:
                todo += match.group(1).split(",")
            else:
                requirements.append(requirement)
    return sum(_distribution_size(name) for name in requirement_closure(requirements)) / 1e9


class InstallSize(SphinxDirective):
    def run(self):
        size = installed_size_gb("all")
        paragraph = nodes.paragraph(classes=["dlguide-measured"])
        paragraph += nodes.Text(
            "Disk: the CPU-only set, dlguide[all] with the CPU builds of PyTorch and TensorFlow, "
            f"takes {size:.1f} GB once installed (summed over the installed files of every package "
            "it brings, in the Linux environment that built this page; a fresh virtual environment "
            "adds pip itself). The CUDA builds bring several GB of NVIDIA libraries on top."
        )
        return [paragraph]


class page_costs(nodes.General, nodes.Element):
    """Placeholder filled from the build report once every page has run."""


class PageCosts(SphinxDirective):
    def run(self):
        return [page_costs("")]


def _report_link(app, fromdocname: str) -> nodes.Node:
    """A link to the build report page (cross-references are already resolved here)."""
    if "build_report" not in app.env.all_docs:
        return nodes.inline(text="Build report")
    link = nodes.reference("", "", internal=True)
    link["refuri"] = app.builder.get_relative_uri(fromdocname, "build_report")
    link += nodes.inline(text="Build report")
    return link


def _on_doctree_resolved(app, doctree, fromdocname) -> None:
    for node in list(doctree.findall(page_costs)):
        pages = list(all_pages(app).values())
        paragraph = nodes.paragraph(classes=["dlguide-measured"])
        if pages:
            slow = max(pages, key=lambda p: p["wall_s"])
            peaks = [p for p in pages if p.get("peak_rss_mb")]
            paragraph += nodes.Text(
                f"Time and memory: in the build that made this site, the slowest of its "
                f"{len(pages)} executed pages ran for {slow['wall_s']:.0f} s"
            )
            if peaks:
                big = max(peaks, key=lambda p: p["peak_rss_mb"])
                paragraph += nodes.Text(
                    f", and the largest peak memory of one page was {big['peak_rss_mb'] / 1024:.1f}"
                    f" GB ({Path(big['source']).name})"
                )
            paragraph += nodes.Text(". The ")
        else:
            paragraph += nodes.Text("Time and memory: the ")
        paragraph += _report_link(app, fromdocname)
        paragraph += nodes.Text(
            " page lists every page's time and peak memory, as measured by the build on its "
            "machine."
        )
        node.replace_self(paragraph)


def _on_config_inited(app, config) -> None:
    requires = _project().get("requires-python", "")
    substitutions = dict(config.myst_substitutions or {})
    substitutions.update(requires_python=requires, min_python=min_python(requires))
    config.myst_substitutions = substitutions


def setup(app):
    app.setup_extension("repository")
    app.setup_extension("dlguide_report")
    app.add_node(page_costs)
    app.add_directive("gpu-install", GpuInstall)
    app.add_directive("install-size", InstallSize)
    app.add_directive("page-costs", PageCosts)
    app.connect("config-inited", _on_config_inited)
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
