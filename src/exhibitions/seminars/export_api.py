"""The programme in the formats other tools read: frab's schedule XML and c3voc's JSON."""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

from exhibitions.accounts.guards import current_actor
from exhibitions.seminars.services import _exports
from exhibitions.web.context import settings_of
from exhibitions.web.downloads import revalidated_file

Language = Literal["ar", "fr", "en"]


def _file(request: Request[Any, Any, Any], file: _exports.ExportFile) -> Response[bytes]:
    return revalidated_file(
        request.headers.get("if-none-match"), file.content, etag=file.etag, media_type=file.media_type,
        filename=file.filename, public=file.public,
    )  # fmt: skip


class ProgrammeExportApiController(Controller):
    path = "/api/v1/exhibitions/{slug:str}"
    tags = ["seminars"]

    @get(
        "/programme.xml",
        media_type="application/xml",
        summary="The published seminar programme as frab schedule XML (valid against c3voc's schedule.xml.xsd)",
    )
    async def frab_xml(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language] = "fr"
    ) -> Response[bytes]:
        file = await _exports.programme_frab_xml(
            slug=slug, actor=current_actor(request), base_url=settings_of(request).base_url,
            language=lang,
        )  # fmt: skip
        return _file(request, file)

    @get(
        "/programme.json",
        media_type="application/json",
        summary="The published seminar programme as c3voc schedule JSON",
    )
    async def c3voc_json(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language] = "fr"
    ) -> Response[bytes]:
        file = await _exports.programme_c3voc_json(
            slug=slug, actor=current_actor(request), base_url=settings_of(request).base_url,
            language=lang,
        )  # fmt: skip
        return _file(request, file)
