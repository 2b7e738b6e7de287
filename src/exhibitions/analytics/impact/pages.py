"""The organizers' impact report: a page with its downloads, and the files themselves."""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from exhibitions.accounts.guards import current_actor, requires_staff
from exhibitions.analytics.impact import figures, reports
from exhibitions.clock import utcnow
from exhibitions.events import services as event_services
from exhibitions.web.context import page, translator_for
from exhibitions.web.downloads import private_attachment
from exhibitions.web.i18n import LANGUAGE_NAMES

Language = Literal["ar", "fr", "en"]


class ImpactReportPagesController(Controller):
    path = "/organize/exhibitions/{slug:str}"
    guards = [requires_staff]
    include_in_schema = False

    @get("/impact-report")
    async def overview(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        """Links to the report in each language, as PDF and as XLSX (organizers of this exhibition)."""
        exhibition = await event_services.managed_exhibition(slug, current_actor(request), refusal=figures.REFUSAL)
        language = translator_for(request).language
        return page(
            request,
            "analytics/impact/page.html",
            slug=slug,
            exhibition_title=exhibition[f"title_{language}"] or exhibition["title_fr"],
            languages=list(LANGUAGE_NAMES.items()),
        )

    async def _file(self, request: Request[Any, Any, Any], slug: str, lang: str | None, fmt: str) -> Response[bytes]:
        file = await reports.impact_report(
            slug=slug, actor=current_actor(request), language=lang or translator_for(request).language, fmt=fmt,
            now=utcnow(),
        )  # fmt: skip
        return private_attachment(file.content, filename=file.filename, media_type=file.media_type)

    @get("/impact-report.pdf")
    async def report_pdf(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language | None] = None
    ) -> Response[bytes]:
        return await self._file(request, slug, lang, "pdf")

    @get("/impact-report.xlsx")
    async def report_xlsx(
        self, request: Request[Any, Any, Any], slug: FromPath[str], lang: FromQuery[Language | None] = None
    ) -> Response[bytes]:
        return await self._file(request, slug, lang, "xlsx")
