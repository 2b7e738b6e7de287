"""The impact report through the API, for the exhibition's organizers."""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

from exhibitions.accounts.guards import current_actor, requires_login
from exhibitions.analytics.impact import reports
from exhibitions.clock import utcnow
from exhibitions.web.downloads import private_attachment

Language = Literal["ar", "fr", "en"]


class ImpactReportApiController(Controller):
    path = "/api/v1/exhibitions/{slug:str}/reports"
    tags = ["analytics"]
    guards = [requires_login]  # 401 for no credentials; the service answers 403 or 404 after

    async def _file(self, request: Request[Any, Any, Any], slug: str, lang: str, fmt: str) -> Response[bytes]:
        file = await reports.impact_report(
            slug=slug, actor=current_actor(request), language=lang, fmt=fmt, now=utcnow()
        )
        return private_attachment(file.content, filename=file.filename, media_type=file.media_type)

    @get(
        "/impact.pdf",
        media_type=reports.MEDIA_TYPES["pdf"],
        summary="The impact report as a PDF with charts (the exhibition's organizers)",
    )
    async def impact_pdf(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language] = "fr"
    ) -> Response[bytes]:
        return await self._file(request, slug, lang, "pdf")

    @get(
        "/impact.xlsx",
        media_type=reports.MEDIA_TYPES["xlsx"],
        summary="The impact report's tables as an XLSX workbook, one sheet per table (the exhibition's organizers)",
    )
    async def impact_xlsx(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language] = "fr"
    ) -> Response[bytes]:
        return await self._file(request, slug, lang, "xlsx")
