"""What every printed document shares (the tickets, a hall's plan): WeasyPrint behind a URL
fetcher that reads our templates and static files only, the Jinja2 environment of the
document templates (no request: the caller passes the translator's functions), and the
one-render-at-a-time worker thread.

No value that reaches a document can make the server fetch a remote address or a local
file: ``local_resources()`` refuses every URL outside ``templates/`` and ``static/``.
"""

from __future__ import annotations

import asyncio
import mimetypes
import weakref
from collections.abc import Callable, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import anyio
import anyio.to_thread
import jinja2

from exhibitions.paths import STATIC_DIR, TEMPLATES_DIR


class ResourceRefused(ValueError):
    """A document asked for a URL outside templates/ and static/."""


def local_resources(roots: Sequence[Path] = (TEMPLATES_DIR, STATIC_DIR)) -> Any:
    """WeasyPrint's URL fetcher, narrowed to ``file:`` URLs of files under ``roots``.

    Symbolic links are resolved before the check, so a link inside static/ that points
    elsewhere is refused too."""
    return _local_resources_class()(roots)


@cache
def _local_resources_class() -> type:
    # WeasyPrint takes seconds to import (Pango, fontTools): the fetcher's class is made with
    # the first document, so that processes which never print do not pay for it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalResources(URLFetcher):  # type: ignore[misc]
        def __init__(self, roots: Sequence[Path]) -> None:
            super().__init__(allowed_protocols=("file",))
            self.roots = tuple(root.resolve() for root in roots)

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
                raise ResourceRefused(f"refused {url!r}: documents read only our templates and static files")
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
                raise ResourceRefused(f"refused {url!r}: not a file under templates/ or static/")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})

    return LocalResources


@cache
def document_environment() -> jinja2.Environment:
    """The documents' templates, autoescaped, strict about missing values."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # WeasyPrint ignores the CSS unicode-bidi property (and so <bdi>), but Pango honours
    # the Unicode isolates: a Latin name or a time range keeps its own order in Arabic.
    environment.filters["isolate"] = lambda text: f"\u2068{text}\u2069"
    environment.filters["ltr"] = lambda text: f"\u2066{text}\u2069"
    return environment


def html_to_pdf(html: str) -> bytes:
    """Relative URLs resolve against static/; anything outside templates/ and static/ is refused."""
    # The rest of WeasyPrint (its layout engine, fonts, Pango) loads with the first document.
    from weasyprint import HTML

    document = HTML(string=html, base_url=STATIC_DIR.resolve().as_uri() + "/", url_fetcher=local_resources())
    pdf: bytes = document.write_pdf()
    return pdf


# A limiter belongs to the event loop it was made in; tests and the CLI run several loops.
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


async def render_in_thread(render: Callable[..., bytes], /, *args: Any, **kwargs: Any) -> bytes:
    """``render(*args, **kwargs)`` in a worker thread, one document at a time per process
    (tickets and plans alike): layout holds the GIL, so a second thread adds no throughput,
    and it keeps a burst of PDFs from filling the thread pool other blocking work shares."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(1)
    return await anyio.to_thread.run_sync(partial(render, *args, **kwargs), limiter=limiter)
