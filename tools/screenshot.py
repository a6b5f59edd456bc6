"""Open the explorer in headless Chromium, offline, and take a picture of it (a docs script, not part of irgraph).

Regenerate the README's pictures from a source checkout with::

    python tools/screenshot.py docs/explorer.png
    python tools/screenshot.py --editor docs/editor.png          # irgraph serve's SPARQL editor, a query run
    python tools/screenshot.py --entity il-2 docs/entity.png     # irgraph serve's page of one entity (by slug)

The editor and entity pictures start ``irgraph serve`` on the bundled data
on a free loopback port, in this process; every request other than to that
server is blocked.

This drives Debian's Chromium (``/usr/bin/chromium``) through the
``playwright`` package (a test dependency: ``pip install '.[test]'``); no
browser is ever downloaded. Every request other than ``file:`` and ``data:``
is blocked, so the picture shows what a person without a network sees. The
tests and ``benchmarks/explorer.py`` open the page the same way.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from irgraph.errors import IrgraphError, UsageError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)
#: the picture's size in CSS pixels
VIEWPORT = {"width": 1600, "height": 1000}


def browser_missing() -> str | None:
    """Why the browser cannot be driven here (``None`` when it can).

    >>> browser_missing() is None or "chromium" in browser_missing() or "playwright" in browser_missing()
    True
    """
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install '.[test]')"
    return None


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (playwright ``Browser``) started with the project's flags; closed on exit.

    Raises :class:`~irgraph.errors.IrgraphError` when Chromium or playwright is missing.
    """
    missing = browser_missing()
    if missing:
        raise IrgraphError(f"cannot open a browser: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def using(browser=None) -> Iterator[object]:
    """``browser`` itself when given (it stays open), else a new :func:`chromium` for the ``with`` block.

    playwright's synchronous API cannot start a second driver while one runs
    in the same thread, so code that may be called with a browser open (the
    tests) takes one.
    """
    if browser is not None:
        yield browser
    else:
        with chromium() as started:
            yield started


def offline_page(browser, *, viewport: dict | None = None, color_scheme: str = "light"):
    """A new page in ``browser`` whose requests other than ``file:`` and ``data:`` are aborted.

    The aborted addresses are collected in the page's ``blocked`` attribute
    (a list), so a caller can check that nothing tried to reach the network;
    ``outside`` lists every request the page made to anything but ``file:``,
    ``data:`` and ``blob:`` (counted whether or not a route saw it).
    ``color_scheme`` is ``"light"`` or ``"dark"`` (what ``prefers-color-scheme`` answers).
    """
    context = browser.new_context(viewport=viewport or VIEWPORT, java_script_enabled=True, color_scheme=color_scheme,
                                  accept_downloads=True)
    page = context.new_page()
    blocked: list[str] = []
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(("file:", "data:", "blob:"))
            else outside.append(request.url))
    page.outside = outside

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.blocked = blocked
    return page


def wait_until_drawn(page, timeout_ms: float = 60_000) -> None:
    """Wait until the explorer has drawn the network once (its ``afterDrawing`` event)."""
    page.wait_for_function("() => window.irgraphExplorer && window.irgraphExplorer.ready === true", timeout=timeout_ms)


def screenshot(out: str | Path, html: str | Path | None = None, *, browser=None) -> Path:
    """Take a PNG picture of an explorer page (by default the bundled graph's) and write it to ``out``.

    ``html`` is a page file to photograph; without it the bundled graph is
    rendered with :func:`irgraph.visualize.to_html` into a temporary file.
    ``browser`` is a running playwright browser to use (else one is started).
    """
    from irgraph.load import load_graph
    from irgraph.visualize import to_html
    from irgraph.writes import write_atomic

    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(html) if html else Path(folder) / "irgraph.html"
        if not html:
            page_file.write_text(to_html(load_graph()), encoding="utf-8")
        if not page_file.is_file():
            raise UsageError(f"{page_file}: no such page; write one with 'irgraph viz -o FILE'")
        with using(browser) as running:
            page = offline_page(running)
            page.goto(page_file.resolve().as_uri())
            wait_until_drawn(page)
            picture = page.screenshot(type="png")
            page.context.close()
    return write_atomic(out, picture)


def served_page(browser, origin: str, *, viewport: dict | None = None):
    """A new page in ``browser`` whose requests other than to ``origin`` (and ``data:``) are aborted (``blocked``)."""
    context = browser.new_context(viewport=viewport or VIEWPORT, java_script_enabled=True)
    page = context.new_page()
    blocked: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith((origin + "/", "data:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.blocked = blocked
    return page


def screenshot_served(out: str | Path, what: str, slug: str = "il-2", *, browser=None) -> Path:
    """A PNG of ``irgraph serve``'s editor (``what="editor"``, with its example query run) or of the page of
    the entity ``slug`` (``what="entity"``), served from the bundled data; written to ``out``."""
    from irgraph.load import load_graph
    from irgraph.serve import make_server, serve_in_thread
    from irgraph.writes import write_atomic

    server = make_server(load_graph(), port=0, quiet=True)
    serve_in_thread(server)
    origin = server.endpoint_url.rsplit("/", 1)[0]
    try:
        with using(browser) as running:
            page = served_page(running, origin)
            if what == "editor":
                page.goto(origin + "/")
                page.wait_for_function("() => window.irgraphEditor && window.irgraphEditor.ready === true")
                page.evaluate("""() => new Promise(done => {
                  const tab = window.irgraphEditor.yasgui.getTab();
                  tab.getYasr().once('drawn', () => done());
                  tab.getYasqe().query().catch(() => done());
                })""")
                page.locator("li.ready-query[data-name='findings-for-intervention'] summary").click()
            else:
                page.goto(f"{origin}/id/{slug}", wait_until="load")
            picture = page.screenshot(type="png")
            if page.blocked:
                raise IrgraphError(f"the page asked for other hosts: {page.blocked}")
            page.context.close()
    finally:
        server.shutdown()
        server.server_close()
    return write_atomic(out, picture)


def main(argv: list[str] | None = None) -> int:
    """``python tools/screenshot.py [--editor | --entity SLUG] OUT.png [PAGE.html]``: write the picture, print where."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("--editor", "--entity"):
        try:
            if args[0] == "--editor" and len(args) == 2:
                path = screenshot_served(args[1], "editor")
            elif args[0] == "--entity" and len(args) == 3:
                path = screenshot_served(args[2], "entity", args[1])
            else:
                print("usage: python tools/screenshot.py --editor OUT.png | --entity SLUG OUT.png", file=sys.stderr)
                return 2
        except IrgraphError as error:
            print(f"irgraph: error: {error}", file=sys.stderr)
            return error.exit_code
        print(f"wrote {path}")
        return 0
    if not args or args[0] in ("-h", "--help") or len(args) > 2:
        asked = bool(args) and args[0] in ("-h", "--help")
        stream = sys.stdout if asked else sys.stderr
        print(__doc__.strip().splitlines()[0], file=stream)
        print("usage: python tools/screenshot.py OUT.png [PAGE.html]", file=stream)
        print("       python tools/screenshot.py --editor OUT.png | --entity SLUG OUT.png", file=stream)
        print("Example:\n  python tools/screenshot.py docs/explorer.png", file=stream)
        return 0 if asked else 2
    try:
        path = screenshot(args[0], args[1] if len(args) > 1 else None)
    except IrgraphError as error:
        print(f"irgraph: error: {error}", file=sys.stderr)
        return error.exit_code
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
