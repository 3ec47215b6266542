"""What every page's index.html tells the browser before Streamlit's own code runs (served by server.py).

Streamlit's index.html is the same for every page and names none of the map's code: the browser asks
for deck.gl's 3 MB bundle only once the map element arrives over the websocket, a second or more after
the page opened, and then from the Python process that is busy running the page. Named in index.html,
the bundle and the country polygons arrive while Streamlit starts, from an idle server.

Streamlit also shows a pulsing placeholder for each element whose code is still loading, a dozen or more
on the map page. Each pulse repaints the page; in a browser without a GPU (a VM, a remote desktop,
headless Chromium) those repaints took a whole CPU core while the map was loading. The placeholders
stay, without the pulse.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from dashboard import layers

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Pages without a map (their last path segment; the map page is the root): no map preload there.
PAGES_WITHOUT_MAP = frozenset({"submit", "review", "about"})
# Streamlit's own routes: never a page's index.html.
NOT_PAGES = ("/static/", "/_stcore/", "/app/static/", "/component/", "/media/")
# Emotion writes its styles after this one, with the same specificity: hence !important.
STILL_PLACEHOLDERS = (
    "<style>[data-testid='stSkeleton'], [data-testid='stSkeleton'] * {animation: none !important}</style>"
)


def head_for(path: str) -> str:
    """The tags added to the <head> of the page at `path`."""
    page = path.rstrip("/").rsplit("/", 1)[-1]
    return STILL_PLACEHOLDERS + ("" if page in PAGES_WITHOUT_MAP else layers.preload_links())


def with_head(html: bytes, tags: str) -> bytes:
    """The page with `tags` just before </head>; unchanged when it has no </head>."""
    head, end, rest = html.partition(b"</head>")
    return head + tags.encode() + end + rest if end else html


class PreloadMiddleware:
    """ASGI middleware: adds head_for(path) to every HTML page Streamlit serves; anything else passes
    through untouched."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(NOT_PAGES):
            await self.app(scope, receive, send)
            return
        # A page is a few kB: asked for uncompressed, so that the tags can be written into it.
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}
        await self.app(scope, receive, _Rewriter(send, head_for(scope["path"])))


class _Rewriter:
    """The `send` of one response: an HTML body is held until complete, then sent with the tags and its
    new length; any other response is sent as it comes."""

    def __init__(self, send: Send, tags: str) -> None:
        self.send, self.tags = send, tags
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = {k.lower(): v for k, v in message.get("headers", [])}
            plain = b"content-encoding" not in headers
            if plain and headers.get(b"content-type", b"").startswith(b"text/html"):
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if message.get("more_body"):
                return
            body = with_head(self.body, self.tags)
            headers = [(k, v) for k, v in self.start.get("headers", []) if k.lower() != b"content-length"]
            await self.send({**self.start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            message = {**message, "body": body}
        await self.send(message)
