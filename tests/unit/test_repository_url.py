"""The site's repository address: each source, the override, and no address at all.

docs/_ext/repository.py reads only its arguments; here they are a fake environment, or the
origin remote of a throw-away git repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))

from repository import (
    from_checkout,
    furo_source_options,
    install_commands,
    normalise_url,
    repository_branch,
    repository_url,
)

GITHUB_ACTIONS = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "octo/dlguide",
    "GITHUB_REF_TYPE": "branch",
    "GITHUB_REF_NAME": "main",
}
READ_THE_DOCS = {
    "READTHEDOCS": "True",
    "READTHEDOCS_GIT_CLONE_URL": "https://github.com/rtd-owner/dlguide.git",
    "READTHEDOCS_VERSION_TYPE": "branch",
    "READTHEDOCS_GIT_IDENTIFIER": "stable-docs",
}


def test_github_actions():
    assert repository_url(GITHUB_ACTIONS) == "https://github.com/octo/dlguide"
    assert repository_branch(GITHUB_ACTIONS) == "main"


def test_github_enterprise_server():
    env = {"GITHUB_SERVER_URL": "https://git.example.org/", "GITHUB_REPOSITORY": "team/dlguide"}
    assert repository_url(env) == "https://git.example.org/team/dlguide"


def test_github_pull_request_links_the_default_branch():
    env = {**GITHUB_ACTIONS, "GITHUB_REF_NAME": "12/merge", "GITHUB_HEAD_REF": "feature"}
    assert repository_branch(env, "origin/main") == "main"


def test_read_the_docs():
    assert repository_url(READ_THE_DOCS) == "https://github.com/rtd-owner/dlguide"
    assert repository_branch(READ_THE_DOCS) == "stable-docs"


def test_read_the_docs_ssh_clone_url():
    env = {"READTHEDOCS_GIT_CLONE_URL": "git@gitlab.com:group/sub/dlguide.git"}
    assert repository_url(env) == "https://gitlab.com/group/sub/dlguide"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
@pytest.mark.parametrize(
    "remote",
    [
        "git@github.com:someone/dlguide.git",
        "ssh://git@github.com/someone/dlguide.git",
        "https://x-access-token:SECRET@github.com/someone/dlguide.git",
        "https://github.com/someone/dlguide/",
    ],
)
def test_origin_remote_of_a_checkout(tmp_path, remote):
    _git("init", "-q", cwd=tmp_path)
    _git("remote", "add", "origin", remote, cwd=tmp_path)
    url, branch = from_checkout(tmp_path, {})
    assert url == "https://github.com/someone/dlguide"  # https, no user, no token, no .git
    assert branch == "main"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
def test_checkout_without_remote_has_no_address(tmp_path):
    _git("init", "-q", cwd=tmp_path)
    assert from_checkout(tmp_path, {}) == (None, "main")
    assert from_checkout(tmp_path / "not-a-repository", {})[0] is None


def test_override_wins_over_every_source():
    env = {**GITHUB_ACTIONS, **READ_THE_DOCS, "DLGUIDE_REPO_URL": "https://codeberg.org/me/dlguide"}
    assert repository_url(env, "git@github.com:x/y.git") == "https://codeberg.org/me/dlguide"
    assert repository_branch({"DLGUIDE_REPO_BRANCH": "docs"}) == "docs"


def test_order_of_the_sources():
    origin = "git@github.com:from/origin.git"
    assert repository_url({**READ_THE_DOCS, **GITHUB_ACTIONS}, origin).endswith("octo/dlguide")
    assert repository_url(READ_THE_DOCS, origin).endswith("rtd-owner/dlguide")
    assert repository_url({}, origin) == "https://github.com/from/origin"


@pytest.mark.parametrize(
    "url", [None, "", "   ", "/srv/git/dlguide", "file:///srv/git/dlguide", "C:\\code\\dlguide"]
)
def test_no_address(url):
    assert normalise_url(url) is None
    assert repository_url({"DLGUIDE_REPO_URL": url or ""}, url) is None


def test_commands_with_and_without_an_address():
    with_url = install_commands("https://github.com/octo/dlguide")
    commands = [text for kind, text in with_url if kind == "bash"]
    assert commands[0] == 'pip install "dlguide[all] @ git+https://github.com/octo/dlguide"'
    assert "git clone https://github.com/octo/dlguide.git\ncd dlguide\n" in commands[1]
    without = install_commands(None)
    assert not any("git+" in text or "git clone" in text for _, text in without)
    assert [text for kind, text in without if kind == "bash"] == ['pip install -e ".[all]"']


def test_furo_links_only_for_hosts_furo_knows():
    options = furo_source_options("https://github.com/octo/dlguide", "main")
    assert options == {
        "source_repository": "https://github.com/octo/dlguide/",
        "source_branch": "main",
        "source_directory": "docs/",
    }
    assert furo_source_options(None, "main") == {}
    assert furo_source_options("https://git.example.org/team/dlguide", "main") == {}
