"""dashboard/preload.py: the tags written into each page's index.html, and the middleware that writes
them, driven through ASGI by a small app that answers as Streamlit's routes do.

A real `garrison serve` answers with them in tests/core/test_serve.py."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit

from dashboard import layers, preload

STATIC = Path(streamlit.__file__).parent / "static"
PAGE = b"<html><head><title>x</title></head><body></body></html>"


@pytest.mark.parametrize(
    ("path", "has_map"),
    [("/", True), ("/compare", True), ("/submit", False), ("/review", False), ("/about", False)]
    + [("/garrison/", True), ("/garrison/about", False), ("/compare/", True)],  # under a server.baseUrlPath
)
def test_map_pages_name_the_map_code_and_every_page_stills_the_placeholders(path, has_map):
    tags = preload.head_for(path)
    assert tags.startswith(preload.STILL_PLACEHOLDERS)
    assert ("DeckGlJsonChart" in tags) is has_map
    assert ("countries.geojson" in tags) is has_map
    assert ("borders.json" in tags) is has_map


def test_every_preloaded_file_is_one_the_installed_streamlit_serves():
    hrefs = re.findall(r'href="\./([^"]+)"', layers.preload_links())
    assert f"./{layers.COUNTRIES_URL}" in layers.preload_links()
    assert f"./{layers.BORDERS_URL}" in layers.preload_links()
    modules = [h for h in hrefs if h.startswith("static/")]
    # The bundle, what it imports when it runs (its WebGL device too), its stylesheet.
    assert any("/DeckGlJsonChart." in h and h.endswith(".js") for h in modules)
    assert any("/webgl-device." in h for h in modules)
    assert any(h.endswith(".css") for h in modules)
    for href in modules:
        assert (STATIC / href).is_file(), href


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (PAGE, b"<html><head><title>x</title><T></head><body></body></html>"),
        (b"<html><body>no head</body></html>", b"<html><body>no head</body></html>"),
        (b"<head></head><p></head></p>", b"<head><T></head><p></head></p>"),  # the first </head> only
    ],
)
def test_the_tags_go_just_before_the_first_end_of_head(html, expected):
    assert preload.with_head(html, "<T>") == expected


def _respond(headers: list[tuple[bytes, bytes]], chunks: list[bytes]):
    """An ASGI app answering every request with these headers and this body in these chunks; it
    records the request headers it was given."""
    seen: list[list[tuple[bytes, bytes]]] = []

    async def app(scope, receive, send):
        seen.append(scope["headers"])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})

    return app, seen


def _get(app, path: str, method: str = "GET") -> tuple[dict, bytes]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": method, "path": path, "headers": [(b"accept-encoding", b"gzip, br")]}
    # A thread of its own: Playwright's sync API leaves its event loop marked running in the test thread of
    # an xdist worker that ran a browser test before, and asyncio.run refuses to start inside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, preload.PreloadMiddleware(app)(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {k: v for k, v in start["headers"]}, body


def test_a_page_sent_in_chunks_gets_the_tags_and_its_new_length():
    html = [b"content-type", b"text/html; charset=utf-8"]
    app, seen = _respond([tuple(html), (b"content-length", str(len(PAGE)).encode())], [PAGE[:20], PAGE[20:]])
    headers, body = _get(app, "/")
    assert body == preload.with_head(PAGE, preload.head_for("/"))
    assert int(headers[b"content-length"]) == len(body)
    assert seen == [[]]  # asked uncompressed: a compressed page could not be written into


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/static/js/index.js", "GET", [(b"content-type", b"text/javascript")]),  # Streamlit's own route
        ("/", "GET", [(b"content-type", b"application/json")]),  # not HTML
        ("/", "GET", [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")]),  # compressed
        ("/", "HEAD", [(b"content-type", b"text/html")]),  # no body to write into
    ],
)
def test_anything_else_passes_through_untouched(path, method, headers):
    app, _ = _respond([*headers, (b"content-length", str(len(PAGE)).encode())], [PAGE])
    got_headers, body = _get(app, path, method)
    assert body == PAGE and int(got_headers[b"content-length"]) == len(PAGE)
