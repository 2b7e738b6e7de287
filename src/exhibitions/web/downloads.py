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
