"""Where the site's source code lives, and the install commands that follow from it.

Why this exists: furo links a page to its source from a fixed repository option and Sphinx has
no notion of the repository; the address differs between CI, Read the Docs and a clone, and the
gallery's pages come from examples/, not docs/.

The address is, first found first: ``DLGUIDE_REPO_URL`` (an override), GitHub Actions'
``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``, Read the Docs' ``READTHEDOCS_GIT_CLONE_URL``, the
checkout's ``origin`` remote; normalised to a public https address without credentials or
``.git``, or None (a local path). :func:`repository_url` and :func:`repository_branch` read only
their arguments (the unit tests pass a fake environment); :func:`git_output` alone runs git.
Nothing depends on the clock: a config value that changed between builds would make Sphinx
re-read every page.

conf.py passes the address to furo's source links (:func:`furo_source_options`), and the
``{install-commands}`` directive renders the setup page's commands from it: when no address is
known, the page says how to get the code instead of printing a broken command.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

DEFAULT_BRANCH = "main"
# Hosts whose web pages furo knows how to link, and its "view source" and "edit this page" forms.
_FURO_LINKS = {
    "https://github.com/": ("{url}/blob/{branch}/{path}?plain=true", "{url}/edit/{branch}/{path}"),
    "https://gitlab.com/": ("{url}/-/blob/{branch}/{path}", "{url}/-/edit/{branch}/{path}"),
    "https://bitbucket.org/": (
        "{url}/src/{branch}/{path}",
        "{url}/src/{branch}/{path}?mode=edit&at={branch}",
    ),
}
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+\.[a-z]{2,}):(?!//)(?P<path>.+)$", re.I)


def normalise_url(url: str | None) -> str | None:
    """Return ``url`` as a public https address, or None if it is not one.

    Accepts https/http/git/ssh URLs and scp-like ``user@host:owner/repo`` forms; drops user
    names and tokens (``https://x-access-token:...@github.com/...``), a trailing ``.git`` and
    trailing slashes. Local paths and ``file://`` URLs are not addresses a reader can use.
    """
    if not url or not url.strip():
        return None
    url = url.strip()
    match = _SCP_LIKE.match(url)
    if match and "://" not in url:
        host, path = match["host"], match["path"]
    else:
        parts = urlsplit(url)
        if parts.scheme not in {"https", "http", "git", "ssh", "git+ssh", "git+https"}:
            return None
        host, path = parts.hostname or "", parts.path
        if not host or host in {"localhost", "127.0.0.1"} or "." not in host:
            return None
    path = path.strip("/")
    path = path.removesuffix(".git").strip("/")
    if not path:
        return None
    return urlunsplit(("https", host.lower(), "/" + path, "", ""))


def repository_url(environ: Mapping[str, str], origin: str | None = None) -> str | None:
    """The repository's https address from the build environment, or None if none is known.

    Args:
        environ: The environment variables (``os.environ`` in conf.py, a dict in tests).
        origin: The URL of the checkout's ``origin`` remote, if it has one.

    Returns:
        ``DLGUIDE_REPO_URL`` if set, else GitHub Actions' repository
        (``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``), else Read the Docs'
        ``READTHEDOCS_GIT_CLONE_URL``, else ``origin``; normalised by :func:`normalise_url`.
    """
    candidates = [environ.get("DLGUIDE_REPO_URL")]
    if environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL") or "https://github.com"
        candidates.append(f"{server.rstrip('/')}/{environ['GITHUB_REPOSITORY']}")
    candidates += [environ.get("READTHEDOCS_GIT_CLONE_URL"), origin]
    for candidate in candidates:
        url = normalise_url(candidate)
        if url:
            return url
    return None


def repository_branch(environ: Mapping[str, str], origin_head: str | None = None) -> str:
    """The branch the source links point to.

    ``DLGUIDE_REPO_BRANCH`` if set; GitHub Actions' branch on a push to a branch; Read the Docs'
    branch for a branch build; else the remote's default branch (``origin_head``, e.g.
    ``origin/main`` from ``git symbolic-ref refs/remotes/origin/HEAD``); else ``main``. Pull
    request and tag builds link to the default branch, where the page can be edited.
    """
    if environ.get("DLGUIDE_REPO_BRANCH"):
        return environ["DLGUIDE_REPO_BRANCH"]
    if (
        environ.get("GITHUB_REF_TYPE") == "branch"
        and environ.get("GITHUB_REF_NAME")
        and not environ.get("GITHUB_HEAD_REF")  # set only for pull requests
    ):
        return environ["GITHUB_REF_NAME"]
    if environ.get("READTHEDOCS_VERSION_TYPE") == "branch" and environ.get(
        "READTHEDOCS_GIT_IDENTIFIER"
    ):
        return environ["READTHEDOCS_GIT_IDENTIFIER"]
    if origin_head:
        return origin_head.strip().removeprefix("refs/remotes/").removeprefix("origin/")
    return DEFAULT_BRANCH


def git_output(root: Path, *args: str) -> str | None:
    """Output of ``git -C root args...``, or None if git or the answer is missing."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    output = result.stdout.strip()
    return output if result.returncode == 0 and output else None


def from_checkout(root: Path, environ: Mapping[str, str]) -> tuple[str | None, str]:
    """``(repository_url, repository_branch)`` for the checkout at ``root``."""
    origin = git_output(root, "remote", "get-url", "origin")
    head = git_output(root, "symbolic-ref", "--short", "refs/remotes/origin/HEAD")
    return repository_url(environ, origin), repository_branch(environ, head)


def furo_source_options(url: str | None, branch: str) -> dict[str, str]:
    """furo's ``html_theme_options`` for its "view source" and "edit this page" links.

    Empty when no address is known, or for a host furo cannot link (it would warn, and the
    build treats warnings as errors).
    """
    if not url or not url.startswith(tuple(_FURO_LINKS)):
        return {}
    return {"source_repository": url + "/", "source_branch": branch, "source_directory": "docs/"}


# -- the {install-commands} directive ---------------------------------------------------------
def install_commands(url: str | None, extras: str = "all") -> list[tuple[str, str]]:
    """The setup page's install steps as ``(kind, text)`` pairs: ``"text"`` or ``"bash"``."""
    if url:
        return [
            ("text", "Install it straight from its repository (this needs git):"),
            ("bash", f'pip install "dlguide[{extras}] @ git+{url}"'),
            (
                "text",
                "or clone the repository and install your copy in editable mode, so that "
                "the examples and chapters are at hand and your edits take effect at once:",
            ),
            (
                "bash",
                f'git clone {url}.git\ncd {url.rsplit("/", 1)[-1]}\npip install -e ".[{extras}]"',
            ),
        ]
    return [
        (
            "text",
            "This copy of the site was built without the address of its source repository "
            "(set DLGUIDE_REPO_URL when building to add it). Get the source folder of dlguide from "
            "wherever you found this site (its repository or an archive of it), then, in that "
            "folder (the one holding pyproject.toml):",
        ),
        ("bash", f'pip install -e ".[{extras}]"'),
    ]


class InstallCommands(SphinxDirective):
    """``{install-commands}``: how to install dlguide now, from the repository the build knows.

    Option ``:extras:`` (default ``all``) names the extras in the commands.
    """

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"extras": str}

    def run(self):
        url = self.config.dlguide_repository_url or None
        extras = self.options.get("extras", "all")
        out = []
        for kind, text in install_commands(url, extras):
            if kind == "bash":
                block = nodes.literal_block(text, text, language="bash")
                out.append(block)
            else:
                paragraph = nodes.paragraph()
                paragraph += nodes.Text(text)
                out.append(paragraph)
        return out


class RepositoryLink(SphinxDirective):
    """``{repository-link}``: a sentence linking the source repository, or saying it is unknown."""

    def run(self):
        url = self.config.dlguide_repository_url or None
        paragraph = nodes.paragraph()
        if url:
            paragraph += nodes.Text("The source of this site and of dlguide is at ")
            paragraph += nodes.reference(url, url, refuri=url)
            paragraph += nodes.Text(".")
        else:
            paragraph += nodes.Text(
                "This copy of the site does not know the address of its source repository."
            )
        return [paragraph]


# Pages whose source is not the file Sphinx read: gallery pages come from examples/, and the
# API stubs are generated at build time (they are not in the repository).
def _page_source(pagename: str) -> str | None:
    if pagename.startswith("api/generated/"):
        return None
    if pagename.startswith("auto_examples/"):
        rel = pagename.removeprefix("auto_examples/")
        if rel == "index" or rel.endswith("/index"):
            folder = rel.removesuffix("index")
            return f"examples/{folder}GALLERY_HEADER.rst"
        return f"examples/{rel}.py"
    return ""  # the default: docs/<pagename><suffix>, which furo builds itself


def _on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    url = app.config.dlguide_repository_url
    if not url or "theme_source_repository" not in context:
        return
    source = _page_source(pagename)
    if source == "":
        return
    if source is None:
        context["page_source_suffix"] = ""  # furo then shows neither link
        return
    forms = next((v for host, v in _FURO_LINKS.items() if url.startswith(host)), None)
    if forms is None:
        return
    branch = app.config.dlguide_repository_branch
    # Furo's own options, per page; no {filename} placeholder, so its str.format keeps them.
    context["theme_source_view_link"], context["theme_source_edit_link"] = (
        form.format(url=url, branch=branch, path=source) for form in forms
    )


def setup(app):
    app.add_config_value("dlguide_repository_url", None, "env", types=[str, type(None)])
    app.add_config_value("dlguide_repository_branch", DEFAULT_BRANCH, "env", types=[str])
    app.add_directive("install-commands", InstallCommands)
    app.add_directive("repository-link", RepositoryLink)
    app.connect("html-page-context", _on_html_page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
