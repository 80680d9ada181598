"""No measured number typed by hand: every result in a page's prose comes from its own run.

A chapter quotes a number its code produced through myst-nb's ``glue``; a gallery page prints it.
This test reads each built chapter and gallery page and finds, in the prose (code, outputs, math
and glued values removed), every number that looks measured:

- a percentage (``96%``, ``82.3 %``);
- a decimal number (``0.969``, ``1.6e-07``), versions excepted (``Python 3.11``);
- a number with a unit of time, speed, size or signal (``20 s``, ``171 GFLOP/s``, ``3 GB``,
  ``+0.60 dB``) or a speed-up (``2.5x``);
- a count of parameters or weights (``215,370 parameters``).

Such a number passes when the same value (to the precision it is written with, or as a
percentage of a printed fraction) appears in a code cell or an output of the same page, or when
its paragraph cites a source (a figure from a paper). Anything else is a typed result: glue it,
print it, cite it, or say it without a number.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.site

HTML = Path(__file__).resolve().parents[2] / "docs" / "_build" / "html"

# Containers whose numbers are the run's own (code, outputs) or not prose at all.
CODE_AND_OUTPUT = [
    "pre",
    "div.cell_input",
    "div.cell_output",
    "div.highlight",
    "div.sphx-glr-script-out",
    "span.pasted-text",
    "span.pasted-inline",
    "div.pasted-inline",
    ".dlguide-measured",  # figures an extension computes at build time (setup page)
]
# Constants that look measured but are not, with the reason each may be typed.
ALLOWED = {
    "setup.html": {"30 s": "the page budget: a target, not a measurement"},
}
NOT_PROSE = [
    *CODE_AND_OUTPUT,
    "code",
    "span.math",
    "div.math",
    "aside.footnote",
    "div.footnote",
    "div.sphx-glr-footer",
    "div.sphx-glr-download-link-note",
    "p.sphx-glr-timing",
    "p.sphx-glr-signature",
    "div.dlguide-page-meta",
]
BLOCKS = ["p", "li", "dd", "dt", "td", "th", "figcaption", "caption"]

NUMBER = r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?:[eE](?P<exp>[-+]?\d+))?"
VERSION = re.compile(
    r"(Python|PyTorch|torch|TensorFlow|tensorflow|Keras|keras|CUDA|cuDNN|NumPy|numpy|Sphinx|"
    r"version|versions|release|Node(?:\.js)?|macOS|Ubuntu|Debian|Windows|WSL|iOS|v)\s*"
    r"\d+(?:\.\d+)+(?:\s*(?:and|or|to|-|–)\s*\d+(?:\.\d+)+)*"  # noqa: RUF001 - en dash ranges
)
UNITS = r"(?:\s(?:s|ms|µs|seconds?|minutes? of (?:CPU|compute))\b|\s?(?:GB|MB|KB|kB|TB|dB|GFLOP/s|TFLOP/s|TFLOPS|GFLOPS|FLOP/s)\b|\s?[x×](?![\w]))"  # noqa: RUF001 - the multiplication sign
MEASURED = re.compile(
    NUMBER + r"(?P<kind>\s?%|" + UNITS + r"|\s+(?:trainable\s+)?(?:parameters|weights)\b)?"
)


def _value(match: re.Match) -> tuple[float, float]:
    """The number and the half-width of the interval its written precision allows."""
    digits = match["num"].replace(",", "")
    frac = match["frac"] or ""
    exp = int(match["exp"] or 0)
    value = float(f"{digits}.{frac}" if frac else digits) * 10.0**exp
    return value, 0.5 * 10.0 ** (exp - len(frac)) + 1e-12


def _numbers(text: str) -> list[float]:
    found = []
    for match in re.finditer(NUMBER, text.replace("\u2212", "-")):
        value, _ = _value(match)
        found.append(value)
        start = match.start()
        if start > 0 and text[start - 1] == "-":
            found.append(-value)
    return found


def _is_measured(match: re.Match) -> bool:
    if match["kind"]:
        if "parameters" in match["kind"] or "weights" in match["kind"]:
            return float(match["num"].replace(",", "")) >= 1000
        return True
    return bool(match["frac"] or match["exp"])


def typed_numbers(html: str) -> list[tuple[str, str]]:
    """(number as written, its sentence) for every measured-looking number in the prose of a
    built page that no code cell, output or citation of the page accounts for."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    run_numbers: list[float] = []
    for selector in CODE_AND_OUTPUT:
        for element in article.select(selector):
            run_numbers.extend(_numbers(element.get_text(" ")))
    for selector in NOT_PROSE:
        for element in article.select(selector):
            if selector in ("span.pasted-text", "span.pasted-inline", ".dlguide-measured"):
                element.replace_with(" ")  # glued: from the run
            else:
                element.decompose()
    problems = []
    for block in article.find_all(BLOCKS):
        if block.find(BLOCKS):  # the innermost blocks carry the text
            continue
        if block.select("a.footnote-reference, a.citation-reference, a[role=doc-noteref]"):
            continue  # a cited figure
        text = " ".join(block.get_text(" ").split())
        masked = VERSION.sub(lambda m: "#" * len(m.group()), text)
        for match in MEASURED.finditer(masked):
            if not _is_measured(match):
                continue
            value, half = _value(match)
            candidates = (
                (value, value / 100) if match["kind"] and "%" in match["kind"] else (value,)
            )
            if any(
                math.isclose(abs(c), abs(w), abs_tol=h) or abs(abs(c) - abs(w)) <= h
                for w in candidates
                for c in run_numbers
                for h in ((half, half / 100) if w != value else (half,))
            ):
                continue
            problems.append((match.group().strip(), text))
    return problems


def _pages() -> list[Path]:
    chapters = sorted((HTML / "chapters").glob("*.html"))
    gallery = sorted((HTML / "auto_examples").rglob("plot_*.html"))
    return [p for p in [*chapters, HTML / "setup.html", *gallery] if p.name != "index.html"]


def test_the_check_finds_typed_results_and_accepts_the_runs_own():
    page = """<article>
    <div class="cell_output"><pre>test accuracy: 0.9631
params 215370</pre></div>
    <p>It reaches 96.3% on the test set and has 215,370 parameters.</p>
    <p>Its glued score is <span class="pasted-text">0.97</span>; the math <span class="math notranslate nohighlight">x = 0.5</span> is math.</p>
    <p>It runs in about 20 s and scores 84% where the paper reports 3.6%
       <a class="footnote-reference" href="#f1">1</a>.</p>
    <p>Python 3.11 and torch 2.13.0 are versions; the 1990s are a decade.</p>
    <p>The output shows 0.9631, while the prose says 1.6e-07.</p>
    </article>"""
    found = [number for number, _ in typed_numbers(page)]
    assert found == ["1.6e-07"]
    page = page.replace("1.6e-07", "1.6e-07 and also 79.7% and 2.5x faster and 171 GFLOP/s")
    found = [number for number, _ in typed_numbers(page)]
    assert found == ["1.6e-07", "79.7%", "2.5x", "171 GFLOP/s"]


def test_no_page_types_a_measured_number():
    pages = _pages()
    if not pages:
        pytest.fail(f"no built chapter or gallery page under {HTML}: build the site first")
    problems = []
    for page in pages:
        allowed = ALLOWED.get(page.relative_to(HTML).as_posix(), {})
        for number, sentence in typed_numbers(page.read_text(encoding="utf-8")):
            if number in allowed:
                continue
            problems.append(f"{page.relative_to(HTML)}: {number!r} in: {sentence[:160]}")
    assert not problems, (
        "Numbers in prose that no output of their page produced (glue or print them, cite "
        "their source, or say it without the number):\n" + "\n".join(problems)
    )
