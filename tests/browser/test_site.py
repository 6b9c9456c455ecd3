"""The documentation site in a real browser: headless Chromium (Debian's) driven by Playwright.

Builds the site with ``python docs/make.py build`` (the command CI and the publishing workflow use), serves
``docs/_build/html`` on 127.0.0.1 and opens every page. Requests that leave 127.0.0.1 are aborted, so the
site must work offline; the only external resources allowed are the Colab badges.

    python -m pytest tests/browser/test_site.py -q        # about 2-3 minutes on 2 cores

``EVOAUG_DOCS_REUSE_BUILD=1`` uses the build already in ``docs/_build/html``. Without Chromium or
Playwright the tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = DOCS / "_build" / "html"
CHROMIUM = os.environ.get("EVOAUG_CHROMIUM", "/usr/bin/chromium")
# Remote resources a page may ask for (aborted here, loaded by a reader's browser).
ALLOWED_EXTERNAL = ("https://colab.research.google.com/assets/colab-badge.svg",)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site() -> Path:
    """The built site: built now, or reused with EVOAUG_DOCS_REUSE_BUILD=1."""
    if not (os.environ.get("EVOAUG_DOCS_REUSE_BUILD") == "1" and (SITE / "index.html").exists()):
        result = subprocess.run(
            [sys.executable, str(DOCS / "make.py"), "build"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"the site build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return SITE


@pytest.fixture(scope="module")
def server(site):
    """``http://127.0.0.1:PORT/`` serving the site from a thread, on a free port."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser closed a connection early
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set EVOAUG_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Visit:
    """One page opened in a fresh context: console errors, uncaught exceptions, external requests."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(300_000)  # a hang guard only: every wait ends on the page's events
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.external: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        self.context.route("**/*", self._route)
        self.response = self.page.goto(url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        if urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _console(self, message):
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if source in self.external:  # the aborted external request itself, checked separately
            return
        self.console_errors.append(f"{message.text} ({source})")

    def close(self):
        self.context.close()


def _pages(site: Path) -> list[str]:
    """Every page of the site (``_static/`` holds the theme's templates, not pages)."""
    pages = (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith("_static/"))


def _tutorial_copies() -> list[Path]:
    return sorted((DOCS / "tutorials").glob("[0-9][0-9]_*.ipynb"))


def test_every_page_loads_without_console_errors(site, server, browser):
    failures = {}
    for page in _pages(site):
        visit = Visit(browser, server + page)
        try:
            problems = []
            if visit.response is None or visit.response.status != 200:
                problems.append(f"status {visit.response.status if visit.response else None}")
            problems += visit.console_errors
            problems += [f"external request {u}" for u in visit.external if not u.startswith(ALLOWED_EXTERNAL)]
            if problems:
                failures[page] = problems
        finally:
            visit.close()
    assert not failures, json.dumps(failures, indent=1)


def test_tutorial_pages_show_their_figures(site, server, browser, tmp_path):
    copies = _tutorial_copies()
    if not copies:
        _unavailable("no executed tutorials in docs/tutorials/ (python docs/make.py execute)")
    home = Visit(browser, server + "index.html")
    home.page.screenshot(path=tmp_path / "home.png", full_page=True)
    home.close()
    for copy in copies:
        cells = json.loads(copy.read_text(encoding="utf-8"))["cells"]
        expected = sum(
            "image/png" in output.get("data", {})
            for cell in cells
            if cell["cell_type"] == "code"
            for output in cell.get("outputs", [])
        )
        visit = Visit(browser, server + f"tutorials/{copy.stem}.html")
        try:
            images = visit.page.eval_on_selector_all(
                "article .cell_output img",
                "imgs => imgs.map(img => ({src: img.currentSrc || img.src, "
                "decoded: img.complete && img.naturalWidth > 0}))",
            )
            assert len(images) == expected, f"{copy.name}: {len(images)} figures shown, {expected} in the copy"
            broken = [image["src"] for image in images if not image["decoded"]]
            assert not broken, f"{copy.name}: figures not decoded: {broken}"
            if expected and not any(tmp_path.glob("tutorial_*.png")):  # the first tutorial with figures
                visit.page.locator("article .cell_output img").first.scroll_into_view_if_needed()
                visit.page.screenshot(path=tmp_path / f"tutorial_{copy.stem}.png")
        finally:
            visit.close()
    print(f"screenshots in {tmp_path}: {sorted(p.name for p in tmp_path.glob('*.png'))}")


def _public_classes(module_name: str) -> list[str]:
    module = importlib.import_module(f"evoaug_tf.{module_name}")
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, obj in vars(module).items() if getattr(obj, "__module__", None) == module.__name__]
    return sorted(n for n in names if not n.startswith("_") and inspect.isclass(getattr(module, n)))


def test_api_pages_list_the_public_classes(site, server, browser):
    api_pages = sorted((site / "_generated" / "api").glob("*.html"))
    modules = [p.stem for p in api_pages if p.stem != "index"]
    for required in (
        "augment",
        "evoaug",
        "training",
        "models",
        "metrics",
        "datasets",
        "attribution",
        "viz",
        "experiments",
        "tune",
    ):
        assert required in modules, f"no API page for evoaug_tf.{required}"
    missing = {}
    for module in modules:
        visit = Visit(browser, server + f"_generated/api/{module}.html")
        try:
            shown = set(
                visit.page.eval_on_selector_all(
                    "dl.py.class > dt[id], dl.py.exception > dt[id]",
                    "dts => dts.map(dt => dt.id)",
                )
            )
        finally:
            visit.close()
        lacking = [c for c in _public_classes(module) if f"evoaug_tf.{module}.{c}" not in shown]
        if lacking:
            missing[module] = lacking
    assert not missing, f"public classes missing from the API pages: {missing}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@functools.cache
def _parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_internal_links_resolve(site, server, browser):
    """Every link between pages of the site reaches an existing page and, with a #fragment, an element.

    Checked on the files the server serves; the browser confirms the pages' own links as it sees them on the
    home page (after the theme's scripts ran).
    """
    broken = []
    for page in _pages(site):
        for href in _parse(site / page).hrefs:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("mailto:", "javascript:", "//")):
                continue
            target_path, fragment = urldefrag(href)
            target = (site / page).parent / unquote(target_path) if target_path else site / page
            if target.is_dir():
                target = target / "index.html"
            if not target.resolve().is_relative_to(site.resolve()) or not target.exists():
                broken.append(f"{page} -> {href}")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in _parse(target.resolve()).ids:
                broken.append(f"{page} -> {href} (no #{fragment})")
    visit = Visit(browser, server + "index.html")
    try:
        hrefs = visit.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        for href in hrefs:
            if urlparse(href).hostname == "127.0.0.1":
                response = visit.context.request.get(urldefrag(href)[0])
                if response.status != 200:
                    broken.append(f"index.html -> {href} ({response.status})")
    finally:
        visit.close()
    assert not broken, "\n".join(sorted(set(broken)))


def test_the_instructors_guide_is_on_the_site_and_linked_from_the_home_page(site, server, browser):
    home = Visit(browser, server + "index.html")
    try:
        hrefs = home.page.eval_on_selector_all("a[href$='instructors.html']", "links => links.map(a => a.href)")
    finally:
        home.close()
    assert hrefs, "the home page does not link the instructor's guide"
    guide = Visit(browser, hrefs[0])
    try:
        assert guide.response is not None and guide.response.status == 200
        headings = " ".join(guide.page.locator("h1, h2").all_inner_texts()).lower()
        for expected in ("instructor", "90-minute", "half-day", "day before", "known failures", "no network"):
            assert expected in headings, f"{expected!r} is not among the guide's headings: {headings}"
        assert not guide.console_errors
    finally:
        guide.close()
