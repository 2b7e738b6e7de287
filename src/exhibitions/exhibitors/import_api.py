"""Bulk import and export of organizations, and the export of an exhibition's applications,
over the API (organizers only)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from msgspec import Meta, Struct

from exhibitions.accounts.guards import BEARER_SECURITY, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.errors import InvalidInput
from exhibitions.exhibitors import services
from exhibitions.exhibitors.spreadsheets import MAX_FILE_BYTES

# The upload's own limit is MAX_FILE_BYTES; the multipart envelope adds a little.
UPLOAD_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024


class ImportForm(Struct):
    file: UploadFile


class BadRowOut(Struct):
    row: Annotated[int, Meta(description="The row as the spreadsheet numbers it; the header is row 1")]
    field: str
    column: Annotated[str, Meta(description="The column's header as the file spells it")]
    code: str
    reason: str
    other_row: Annotated[int | None, Meta(description="For a duplicate: the earlier row it repeats")] = None


class PreviewRowOut(Struct):
    row: int
    action: Annotated[str, Meta(description="create or update")]
    name: str
    registry_number: str
    ice: str | None
    changes: list[str]


class ImportReportOut(Struct):
    dry_run: bool
    encoding: Annotated[str, Meta(description="utf-8, utf-8-sig, cp1256 (Arabic Windows) or xlsx")]
    rows: int
    created: int
    updated: int
    unchanged: int
    bad: Annotated[int, Meta(description="Rows refused; each reason is in errors")]
    errors: list[BadRowOut]
    preview: Annotated[list[PreviewRowOut], Meta(description="The first rows created or updated")]
    ignored_columns: list[str]


def report_out(report: services.ImportReport) -> ImportReportOut:
    return ImportReportOut(
        dry_run=report.dry_run, encoding=report.encoding, rows=report.rows, created=report.created,
        updated=report.updated, unchanged=report.unchanged, bad=report.bad,
        errors=[
            BadRowOut(bad.row, bad.field, bad.column, bad.code, bad.reason, bad.other_row) for bad in report.errors
        ],
        preview=[
            PreviewRowOut(row.row, row.action, row.name, row.registry_number, row.ice, list(row.changes))
            for row in report.preview
        ],
        ignored_columns=report.ignored_columns,
    )  # fmt: skip


async def read_upload(upload: Any) -> bytes:
    """The uploaded file's bytes, or InvalidInput naming ``file``."""
    if not isinstance(upload, UploadFile):
        raise InvalidInput.single("file", "required", "send the CSV or XLSX file as the multipart field 'file'")
    return await upload.read()


def export_response(export: services.Export) -> Response[bytes]:
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


class OrganizationImportApiController(Controller):
    tags = ["organizations"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @post(
        "/api/v1/organizations/import",
        status_code=200,
        request_max_body_size=UPLOAD_BODY_BYTES,
        summary="Import organizations from a CSV or XLSX file (organizers); dry_run=true only checks",
        description="Re-importing updates: the same organization is the one with the row's ICE, else the one "
        "with its legal form and registry number. Bad rows are listed with their row number and never stop "
        "the good ones.",
    )
    async def import_organizations(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        dry_run: Annotated[bool, QueryParameter()] = False,
    ) -> ImportReportOut:
        actor = current_actor(request)
        content = await read_upload(data.file)
        report = await services.import_organizations(data=content, actor=actor, now=utcnow(), dry_run=dry_run)
        return report_out(report)

    @get("/api/v1/organizations/export", summary="Every organization as CSV or XLSX (organizers)")
    async def export_organizations(
        self,
        request: Request[Any, Any, Any],
        format: Annotated[services.ExportFormat, QueryParameter()] = services.ExportFormat.csv,
    ) -> Response[bytes]:
        return export_response(await services.export_organizations(actor=current_actor(request), fmt=format))

    @get(
        "/api/v1/exhibitions/{slug:str}/applications/export",
        summary="The exhibition's applications as CSV or XLSX (its organizers)",
    )
    async def export_applications(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        format: Annotated[services.ExportFormat, QueryParameter()] = services.ExportFormat.csv,
    ) -> Response[bytes]:
        export = await services.export_applications(slug=slug, actor=current_actor(request), fmt=format)
        return export_response(export)
