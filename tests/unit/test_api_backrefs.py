"""docs/_ext/api_backrefs.py retries an unresolved reference only under a re-export of the same
object, so ``nitpicky`` keeps reporting every other unresolved name."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))

from api_backrefs import _documented_names, _uses

pytest.importorskip("torch")


def test_a_short_name_in_a_family_module_is_its_package_re_export():
    assert _documented_names("dlguide.torch.capsule", "margin_loss") == [
        "dlguide.torch.margin_loss"
    ]
    assert _documented_names("dlguide.torch.vae", "VAE.reparameterize") == [
        "dlguide.torch.VAE.reparameterize"
    ]
    assert _documented_names(None, "dlguide.torch.training.fit") == ["dlguide.torch.fit"]


def test_other_names_stay_unresolved():
    # `torch` written in dlguide.torch's docstring is PyTorch, not dlguide.torch.
    assert _documented_names("dlguide.torch", "torch") == []
    assert _documented_names("dlguide.torch.capsule", "no_such_name") == []
    assert _documented_names("dlguide.data", "array-like") == []
    assert _documented_names(None, "int") == []


def test_chapter_use_by_import_or_full_name():
    assert _uses("from dlguide.torch import (\n    MLP,\n    LeNet,\n)\n", "dlguide.torch.LeNet")
    assert _uses("from dlguide.torch.cnn import LeNet as Net\n", "dlguide.torch.LeNet")
    assert _uses("model = dlguide.torch.LeNet()\n", "dlguide.torch.LeNet")
    assert not _uses("from dlguide.keras import LeNet\n", "dlguide.torch.LeNet")


def test_an_api_page_is_read_again_only_when_its_chapter_list_changes(tmp_path):
    from types import SimpleNamespace

    from api_backrefs import _on_env_get_outdated

    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "a.md").write_text("from dlguide.torch import LeNet\n")
    (chapters / "b.md").write_text("No code.\n")
    entries = {
        "api/LeNet": [("dlguide.torch.LeNet", ["dlguide.torch"], ["chapters/a"])],
        "api/MLP": [("dlguide.torch.MLP", ["dlguide.torch"], [])],
    }
    env = SimpleNamespace(srcdir=str(tmp_path), dlguide_used_in=entries)

    def outdated(changed):
        return _on_env_get_outdated(None, env, set(), set(changed), set())

    assert outdated({"chapters/b"}) == []  # an edit that changes no list
    assert outdated({"api/LeNet"}) == []  # no chapter changed
    (chapters / "b.md").write_text("from dlguide.torch import MLP\n")
    assert outdated({"chapters/b"}) == ["api/MLP"]  # b now uses MLP
    (chapters / "a.md").write_text("Prose only.\n")
    assert sorted(outdated({"chapters/a", "chapters/b"})) == ["api/LeNet", "api/MLP"]
