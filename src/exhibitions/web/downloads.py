"""Files a person downloads, from the pages and the API alike."""

from __future__ import annotations

from litestar import Response


def private_attachment(content: bytes, *, filename: str, media_type: str) -> Response[bytes]:
    """A download that is personal (a ticket): no shared cache may keep a copy. ``filename``
    must be ASCII, since a header cannot carry anything else."""
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


def revalidated_file(
    if_none_match: str | None, content: bytes, *, etag: str, media_type: str, filename: str, public: bool,
    max_age: int = 60,
) -> Response[bytes]:  # fmt: skip
    """A file that changes now and then (a programme export) with its ETag: a client that holds
    the same bytes gets 304 and no body. ``public`` files may sit in shared caches for
    ``max_age`` seconds; the others stay in the browser and are checked each time."""
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age}" if public else "private, no-cache",
        "Content-Disposition": f'inline; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
    }
    if if_none_match and (if_none_match.strip() == "*" or etag in [tag.strip() for tag in if_none_match.split(",")]):
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=content, media_type=media_type, headers=headers)
