"""Sphinx configuration of the dlguide site.

Every chapter (docs/chapters/*.md, MyST-NB) and every gallery example (examples/**/plot_*.py,
sphinx-gallery) is executed by the build; a failing cell or example fails it.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

# Set before anything imports TensorFlow, here or in a notebook kernel (kernels inherit them).
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
# oneDNN's CPU kernels halve Keras' training time here (a Keras CNN example: 37 s with them, 71 s
# without, same test accuracy to three decimals); TF_CPP_MIN_LOG_LEVEL=3 hides its start-up notice.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"
os.environ["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
# One compute thread per page: a page's numbers then do not depend on how many cores the machine
# has (a sum split over more threads adds in another order), and the build uses the cores by
# running pages side by side (`sphinx-build -j`, sphinx-gallery's `parallel`) instead.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"):
    os.environ[_variable] = "1"

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Chapter kernels get an IPython profile of their own (the reader's startup files stay out), in
# which ipykernel does not copy C-level output into the page: TensorFlow's start-up notice goes
# to the build log, as it does for gallery examples, instead of into a chapter's first Keras cell.
_PROFILE = DOCS / "_build" / "ipython" / "profile_default"
_PROFILE.mkdir(parents=True, exist_ok=True)
(_PROFILE / "ipython_kernel_config.py").write_text("c.IPKernelApp.capture_fd_output = False\n")
os.environ["IPYTHONDIR"] = str(_PROFILE.parent)
sys.path.insert(0, str(DOCS / "_ext"))  # our own extensions only; dlguide itself is installed

from incremental import dlguide_sources_digest  # needs the path above
from repository import from_checkout, furo_source_options  # noqa: E402

project = "dlguide"
author = "The dlguide authors"
copyright = "2026, The dlguide authors"
# One source for the version: pyproject.toml, read from the installed package metadata.
release = version = importlib.metadata.version("dlguide")

extensions = [
    "myst_nb",
    "execution_pool",  # after myst_nb (its configuration), before sphinx-gallery
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "mathml",
    "sphinx_gallery.gen_gallery",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "bibtex_plugins",
    "sphinx_copybutton",
    "dlguide_report",
    "incremental",
    "framework_tabs",
    "glossary_fragments",
    "image_alt",
    "api_backrefs",
    "page_assets",
    "repository",
    "page_extras",
    "setup_facts",
    "api_signatures",
    "chapter_downloads",
    "notfound.extension",
    "sphinx_sitemap",
    "page_meta",
]

exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    # sphinx-gallery writes an .ipynb beside each generated page; myst-nb must not build it.
    "auto_examples/**.ipynb",
    "auto_examples/**/*.ipynb",
    "**/jupyter_execute",
    "_glossary",
]
nitpicky = True
# Types from other projects: we link no remote inventories (the build is offline).
nitpick_ignore_regex = [
    (r"py:.*", r"(torch|keras|tensorflow|tf|numpy|np|sklearn|matplotlib|safetensors|tqdm)(\..*)?"),
    (r"py:.*", r"(int|float|str|bool|dict|list|tuple|None|object|callable|optional)"),
    (r"py:.*", r"(collections\.abc\.|typing\.|os\.).*"),
    (r"py:.*", r"(Sequence|Mapping|Iterable|Callable|Any|PathLike|Metric|Split|DataLoader)"),
    (r"py:.*", r"(array-like|array_like|ndarray|Tensor|Module|Model|device|Figure)"),
]

# -- HTML --------------------------------------------------------------------------------------
html_theme = "furo"
html_math_renderer = "mathml"  # docs/_ext/mathml.py: formulas as MathML, no script
html_title = "dlguide"
html_static_path = ["_static"]
templates_path = ["_templates"]
html_css_files = ["dlguide.css"]
html_js_files = ["dlguide.js"]
html_search_scorer = str(DOCS / "_static" / "search_scorer.js")  # a path from the working directory
# Where the source lives: DLGUIDE_REPO_URL, else GitHub Actions' or Read the Docs' repository, else
# the checkout's origin remote (docs/_ext/repository.py). It feeds furo's "view source" and "edit
# this page" links and the setup page's install commands; it is None when no address is known.
dlguide_repository_url, dlguide_repository_branch = from_checkout(ROOT, os.environ)
html_theme_options = {
    "navigation_with_keys": True,
    **furo_source_options(dlguide_repository_url, dlguide_repository_branch),
}
html_last_updated_fmt = None
html_show_sourcelink = False
# No module index page: dlguide has a handful of modules, listed on the API page, and no page links
# to it (it would also be rewritten on every build).
html_domain_indices = False
html_favicon = "_static/favicon.svg"

# -- Publishing: the public address comes from the environment (Read the Docs sets its own). ---
# DLGUIDE_BASE_URL is the site's root, e.g. https://example.org/dlguide/ ; it feeds the sitemap,
# the canonical links and the social preview tags. Without it the site is built for local use.
# The default is where `python -m http.server -d docs/_build/html 8000` serves a local build.
html_baseurl = (
    os.environ.get("DLGUIDE_BASE_URL")
    or os.environ.get("READTHEDOCS_CANONICAL_URL")
    or "http://127.0.0.1:8000/"
)
sitemap_url_scheme = "{link}"
sitemap_show_lastmod = False
# The 404 page uses absolute links; its prefix is the path the site is served under.
notfound_urls_prefix = os.environ.get("DLGUIDE_URL_PREFIX", "/")
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1><p>This page does not exist (any more). Try the search box, "
    'or start again from the <a href="' + notfound_urls_prefix + 'index.html">first page</a>.</p>',
}

# -- MyST-NB: chapters run when their code or dlguide changed -----------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist", "substitution"]
myst_heading_anchors = 3
# myst-nb's cache keys a chapter on its code cells; keying the cache folder on dlguide's own
# sources as well re-runs every page that imports it when the library changes. A clean build
# (`nox -s docs -- --clean`, and always in `nox -s tests`) starts with an empty cache.
DLGUIDE_DIGEST = dlguide_sources_digest()
nb_execution_mode = "cache"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache" / DLGUIDE_DIGEST)
nb_execution_timeout = int(os.environ.get("DLGUIDE_CELL_TIMEOUT", "180"))
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget JavaScript from a CDN

# -- Citations: one bibliography, cited page by page ------------------------------------------
# Pages cite with {footcite:t}`key` / {footcite:p}`key` and end with a {footbibliography}; the
# references page lists every entry. An unknown key is a warning, so -W fails the build, and
# tests/unit/test_references.py fails on an entry that no page cites.
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_foot_reference_style = "foot"
# Tooltips belong to {cite} references, which no page uses (pages cite with {footcite}); left on,
# every build would format each entry a second time for them (1 s of a no-op rebuild).
bibtex_tooltips = False

# -- autodoc -----------------------------------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
# The value is constant: a value computed from the file system would differ between two builds
# and make Sphinx re-read (and re-execute) every page. Whether the stubs are regenerated in a
# given build is decided by incremental.py (only when the API sources or dlguide changed).
autosummary_generate = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True  # NamedTuple/dataclass fields are documented once, by autodoc

# -- sphinx-gallery ----------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "examples")],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r".*\.py$",  # execute every example, not only plot_*
    "ignore_pattern": r"(__init__|conftest)\.py$",
    "download_all_examples": True,
    "doc_module": ("dlguide",),
    "backreferences_dir": "api/generated/backrefs",
    "reference_url": {"dlguide": None},
    "prefer_full_module": set(),
    "reset_modules": ("dlguide_report.reset_example_state",),
    "reset_modules_order": "both",
    # As many worker processes as sphinx-build's -j. An example that starts processes of its own
    # (plot_ddp.py) opts out with `# sphinx_gallery_parallel = False` and runs in this process.
    "parallel": True,
    "write_computation_times": False,  # its page loads jQuery/DataTables from CDNs
    "remove_config_comments": True,
    # dlguide.report() prints its metrics and returns them as a dict; as the last line of a block
    # its return value would be shown a second time, unformatted.
    "ignore_repr_types": r"<class 'dict'>",
    "show_memory": False,
    "plot_gallery": "True",
    "abort_on_example_error": False,
    "min_reported_time": 0,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "default_thumb_file": None,
}

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
