"""Fault injection: the build must fail loudly, naming the file, for each kind of fault.

Each test builds a scratch site with the project's real conf.py and extensions. The first test
proves that a healthy scratch site builds, so the failures below are the injected faults' doing.
"""

from __future__ import annotations

GOOD_CELL = "import dlguide\ndlguide.report(score=1.0)"
GOOD_EXAMPLE = "dlguide.report(score=0.5)"


def test_a_healthy_scratch_site_builds_and_reports(scratch):
    scratch.add_chapter("good-chapter", [GOOD_CELL])
    scratch.add_example("plot_good", GOOD_EXAMPLE)
    result = scratch.build()
    assert result.returncode == 0, result.output
    pages = {page["source"]: page for page in result.report["pages"]}
    assert pages["examples/plot_good.py"]["metrics"] == {"score": 0.5}
    assert pages["docs/chapters/good-chapter.md"]["metrics"] == {"score": 1.0}
    assert all(page["wall_s"] > 0 for page in pages.values())


def test_a_raising_example_fails_the_build_and_is_named(scratch):
    scratch.add_chapter("good-chapter", [GOOD_CELL])
    scratch.add_example("plot_good", GOOD_EXAMPLE)
    scratch.add_example("plot_broken", "raise RuntimeError('injected failure')")
    result = scratch.build()
    assert result.returncode != 0
    assert "plot_broken.py" in result.output
    assert "injected failure" in result.output


def test_a_raising_chapter_cell_fails_the_build_and_is_named(scratch):
    scratch.add_chapter("broken-chapter", ["x = 1", "raise ValueError('injected cell failure')"])
    scratch.add_example("plot_good", GOOD_EXAMPLE)
    result = scratch.build()
    assert result.returncode != 0
    assert "broken-chapter" in result.output
    assert "injected cell failure" in result.output


def test_a_cell_over_its_time_limit_fails_the_build(scratch):
    scratch.add_chapter("slow-chapter", ["import time\ntime.sleep(30)"])
    scratch.add_example("plot_good", GOOD_EXAMPLE)
    result = scratch.build(DLGUIDE_CELL_TIMEOUT="3")
    assert result.returncode != 0
    assert "slow-chapter" in result.output
    assert "timed out" in result.output.lower() or "timeout" in result.output.lower()


def test_a_missing_optional_dependency_fails_the_build(scratch):
    scratch.add_chapter("good-chapter", [GOOD_CELL])
    scratch.add_example("plot_needs_missing", "import dlguide_extra_that_is_not_installed")
    result = scratch.build()
    assert result.returncode != 0
    assert "plot_needs_missing.py" in result.output
    assert "dlguide_extra_that_is_not_installed" in result.output


def test_a_warning_in_a_page_fails_the_build(scratch):
    scratch.add_chapter("warning-chapter", [GOOD_CELL], markdown="See {doc}`no-such-page`.")
    scratch.add_example("plot_good", GOOD_EXAMPLE)
    result = scratch.build()
    assert result.returncode != 0
    assert "warning-chapter" in result.output
    assert "no-such-page" in result.output
