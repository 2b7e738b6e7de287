"""Reading a photo out of a multipart request without trusting it: the body is bounded
while it streams in (the route's ``request_max_body_size``), and the file part once more
as it is read, so a huge upload is refused without being held in memory."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge

from exhibitions.errors import InvalidInput
from exhibitions.exhibitors import photos
from exhibitions.exhibitors.services import PhotoFile

# The photo and the multipart framing around it (field names, boundaries, a CSRF token).
PHOTO_BODY_LIMIT = photos.MAX_PHOTO_BYTES + 64 * 1024
# A page's form is read whole before its handler runs (for the CSRF token), and a body
# over the limit can only get an error page. A phone photo a little over 5 MB is common:
# up to this size the form comes back with "the photo is too large" next to the field.
PAGE_PHOTO_BODY_LIMIT = 3 * photos.MAX_PHOTO_BYTES
# A versioned URL's bytes never change: browsers and proxies may keep them for a year.
_FOREVER = "max-age=31536000, immutable"


async def read_photo(request: Request[Any, Any, Any], field: str = "photo") -> bytes:
    """The bytes of the form's file ``field``, at most ``MAX_PHOTO_BYTES``."""
    try:
        form = await request.form()
    except RequestEntityTooLarge:
        raise photos.too_large() from None
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        raise InvalidInput.single(field, "required", "send the photo as a file in a multipart form")
    try:
        data = await upload.read(photos.MAX_PHOTO_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > photos.MAX_PHOTO_BYTES:
        raise photos.too_large()
    return data


def photo_response(request: Request[Any, Any, Any], photo: PhotoFile, *, public: bool) -> Response[bytes]:
    """The photo with headers that let browsers cache it and never guess its type."""
    etag = f'"{photo.version}"'
    versioned = request.query_params.get("v") == photo.version
    scope = "public" if public else "private"
    headers = {
        "ETag": etag,
        "Cache-Control": f"{scope}, {_FOREVER}" if versioned else f"{scope}, no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=photo.content, media_type=photo.media_type, headers=headers)
