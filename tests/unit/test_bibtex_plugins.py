"""docs/_ext/bibtex_plugins.py: pybtex's plugin lookups scan the entry points once, same answers."""

from __future__ import annotations

import sys
from pathlib import Path

import pybtex.plugin

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from bibtex_plugins import remember_plugin_lookups


def test_lookups_are_remembered_and_answer_as_before():
    plain = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")
    docutils = pybtex.plugin.find_plugin("pybtex.backends", "docutils")
    remember_plugin_lookups()
    scan = pybtex.plugin.entry_points
    remember_plugin_lookups()  # a second setup does not wrap the wrapper
    assert pybtex.plugin.entry_points is scan
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") is plain
    misses = scan.cache_info().misses
    for _ in range(50):
        assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") is plain
        assert pybtex.plugin.find_plugin("pybtex.backends", "docutils") is docutils
    assert scan.cache_info().misses <= misses + 1  # docutils' first lookup; then none
    try:
        pybtex.plugin.find_plugin("pybtex.style.formatting", "no-such-style")
    except pybtex.plugin.PluginNotFound:
        pass
    else:
        raise AssertionError("an unknown style must still raise PluginNotFound")
