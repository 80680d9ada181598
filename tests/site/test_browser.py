"""The built site in a real browser (Debian's Chromium driven by Playwright), served on 127.0.0.1.

Every page: HTTP 200, no console error, no request to any other host, every image loaded and
described, every internal link and download resolving, no serious or critical axe-core violation
in light and in dark mode. Selected pages: search, the framework tabs' memory, the theme toggle,
a phone-sized viewport and math. Screenshots land in docs/_build/screenshots for a reviewer.
"""

from __future__ import annotations

import http.server
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

from tests.site.conftest import BUILD, HTML, ROOT, serve

SHOTS = BUILD / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def server():
    with serve(_QuietHandler) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is in requirements/ci.txt"
    )
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium chromium-driver")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser page that records console errors and refuses requests to other hosts."""

    def __init__(self, browser, server, **context_args):
        self.server = server
        self.context = browser.new_context(**context_args)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route("**/*", self._route)

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def goto(self, path: str):
        return self.page.goto(urljoin(self.server, path), wait_until="load")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    visits = []

    def make(**context_args):
        v = Visit(browser, server, **context_args)
        visits.append(v)
        return v

    yield make
    for v in visits:
        v.close()


def _pages() -> list[str]:
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


IMAGES_JS = """() => Array.from(document.images).map(i => ({
    src: i.getAttribute('src'), alt: (i.getAttribute('alt') || '').trim(),
    ok: i.complete && i.naturalWidth > 0, hidden: i.offsetParent === null && !i.closest('details')}))"""
LOAD_ALL_IMAGES_JS = (
    "() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"
)
IMAGES_SETTLED_JS = "() => Array.from(document.images).every(i => i.complete)"
LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
AXE_JS = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _bad_alt(alt: str, src: str) -> bool:
    if not alt:
        return True
    stem = Path(urlsplit(src or "").path).stem
    return (
        alt == stem
        or alt.startswith("<Figure size")
        or bool(re.fullmatch(r"(_images/)?[\w.-]+\.(png|jpe?g|svg|gif)", alt))
    )


def test_every_page_loads_clean_offline_and_accessible(visit):
    """One crawl of the whole site; failures are collected and reported together."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (the tests session does)")
    v = visit(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    links: set[str] = set()
    for path in _pages():
        v.errors.clear()
        v.foreign.clear()
        response = v.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        v.page.wait_for_load_state("networkidle")
        # Figures load lazily (docs/docutils.conf): ask for every one now, then check them all.
        v.page.evaluate(LOAD_ALL_IMAGES_JS)
        v.page.wait_for_function(IMAGES_SETTLED_JS, timeout=20000)
        for image in v.page.evaluate(IMAGES_JS):
            if not image["ok"] and not image["hidden"]:
                problems.append(f"{path}: image did not load: {image['src']}")
            if _bad_alt(image["alt"], image["src"]):
                problems.append(
                    f"{path}: image without descriptive alt text: {image['src']} alt={image['alt']!r}"
                )
        links.update(v.page.evaluate(LINKS_JS))
        v.page.add_script_tag(path=str(AXE))
        # Check the colours a theme settles on, not those of a transition still running on a
        # busy machine.
        v.page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        for theme in ("light", "dark"):
            v.page.evaluate(f"document.body.dataset.theme = '{theme}'")
            v.page.wait_for_timeout(300)  # let colour transitions (250 ms in sphinx-design) end
            for violation in v.page.evaluate(AXE_JS):
                problems.append(f"{path} [{theme}]: axe {violation}")
        problems += [f"{path}: console error: {e}" for e in v.errors]
        problems += [f"{path}: request to another host: {u}" for u in v.foreign]
    # Every internal link and download resolves.
    for link in sorted(links):
        parts = urlsplit(link)
        if parts.hostname != "127.0.0.1":
            continue
        target = HTML / parts.path.lstrip("/")
        if parts.path.endswith("/"):
            target = target / "index.html"
        if not target.exists():
            problems.append(f"broken internal link: {parts.path}")
        elif target.suffix in (".py", ".ipynb", ".zip") and target.stat().st_size == 0:
            problems.append(f"empty download: {parts.path}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


def test_downloads_are_served(visit, server):
    v = visit()
    downloads = sorted(p for p in (HTML / "_downloads").rglob("*") if p.is_file())
    assert {p.suffix for p in downloads} >= {".py", ".ipynb", ".zip"}, downloads
    for path in downloads:
        response = v.page.request.get(urljoin(server, path.relative_to(HTML).as_posix()))
        assert response.status == 200, path
        assert len(response.body()) == path.stat().st_size > 0, path


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("backpropagation", "chapters/how-networks-learn.html"),
        ("dropout", "chapters/how-networks-learn.html"),
        ("LeNet", "api/generated/dlguide.torch.LeNet.html api/generated/dlguide.keras.LeNet.html"),
        (
            "variational autoencoder",
            "chapters/representations-and-generation.html auto_examples/generative/plot_vae.html",
        ),
    ],
)
def test_search_lists_the_right_page_first(visit, query, expected):
    """A taught term finds the page that teaches it (its glossary entry comes after)."""
    expected = expected.split()
    for page in expected:
        if not (HTML / page).exists():
            pytest.fail(f"{page} was not built")
    v = visit()
    v.goto(f"search.html?q={query}")
    v.page.wait_for_selector("#search-results ul.search li", timeout=20000)
    first = v.page.eval_on_selector("#search-results ul.search li a", "a => a.href")
    assert urlsplit(first).path.lstrip("/") in expected, first


def test_search_for_nonsense_lists_nothing(visit):
    v = visit()
    v.goto("search.html?q=qwxzzyvplk")
    v.page.wait_for_function(
        "() => document.querySelector('#search-results') && "
        "document.querySelector('#search-results').innerText.includes('did not match')",
        timeout=20000,
    )
    assert v.page.locator("#search-results ul.search li").count() == 0


def _tabbed_pages() -> list[str]:
    return [
        p for p in _pages() if p.startswith("chapters/") and "sd-tab-set" in (HTML / p).read_text()
    ]


def test_framework_choice_holds_across_pages_and_reloads(visit):
    pages = _tabbed_pages()
    assert pages, "no chapter has framework tabs"
    v = visit()
    v.goto(pages[0])
    v.page.locator("label.sd-tab-label", has_text="Keras").first.click()
    checked = (
        "() => Array.from(document.querySelectorAll('.sd-tab-set > input:checked'))"
        ".map(i => document.querySelector(`label[for='${i.id}']`).textContent.trim())"
    )
    assert set(v.page.evaluate(checked)) == {"Keras"}
    for path in [pages[-1], pages[0]]:
        v.goto(path)
        assert set(v.page.evaluate(checked)) == {"Keras"}, path
    v.page.reload()
    assert set(v.page.evaluate(checked)) == {"Keras"}
    _shot(v.page, "tabs-keras")


def _luminance(rgb: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_theme_toggle_switches_light_and_dark(visit):
    v = visit(viewport={"width": 1280, "height": 900})
    v.goto("chapters/what-is-deep-learning.html")
    seen = {}
    for _ in range(3):
        v.page.locator("button.theme-toggle:visible").first.click()
        theme = v.page.evaluate("document.body.dataset.theme")
        background = v.page.evaluate("getComputedStyle(document.body).backgroundColor")
        seen[theme] = _luminance(background)
        if theme in ("light", "dark"):
            _shot(v.page, f"chapter-{theme}")
    assert seen.get("dark", 1.0) < 0.3 < seen.get("light", 0.0), seen
    # Figures keep a light background in dark mode, so their black axes stay readable.
    v.page.evaluate("document.body.dataset.theme = 'dark'")
    backgrounds = v.page.evaluate(
        "() => Array.from(document.querySelectorAll('article img')).map(i => getComputedStyle(i).backgroundColor)"
    )
    assert backgrounds, "the chapter has no figure"
    assert all(_luminance(b) > 0.9 for b in backgrounds), backgrounds


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "chapters/what-is-deep-learning.html",
        "auto_examples/basics/plot_mlp_digits.html",
    ],
)
def test_phone_viewport_does_not_overflow_and_navigation_opens(visit, path):
    v = visit(viewport={"width": 375, "height": 740}, is_mobile=True)
    v.goto(path)
    width = v.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 376, f"{path} is {width}px wide at a 375px viewport"
    v.page.locator("label.nav-overlay-icon:visible").first.click()
    v.page.wait_for_timeout(400)
    box = v.page.locator(".sidebar-drawer").bounding_box()
    assert box is not None and box["x"] >= -1 and box["width"] > 100, box
    _shot(v.page, "phone-" + Path(path).stem)


def test_math_renders(visit):
    v = visit()
    v.goto("chapters/what-is-deep-learning.html")
    formulas = v.page.locator("article math")
    assert formulas.count() > 0
    # Rendered by the browser's MathML engine: a display formula has a real height and width.
    box = v.page.locator("article div.math math").first.bounding_box()
    assert box is not None and box["height"] > 15 and box["width"] > 50, box
    text = v.page.inner_text("article")
    assert "\\sigma" not in text and "$$" not in text
    _shot(v.page, "math")
