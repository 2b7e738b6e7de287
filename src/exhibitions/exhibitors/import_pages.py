"""The organizers' import page (upload, preview, confirm, result) and the spreadsheet
downloads of organizations and of an exhibition's applications."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Template
from msgspec import Struct

from exhibitions.accounts.guards import current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from exhibitions.exhibitors import services
from exhibitions.exhibitors.import_api import UPLOAD_BODY_BYTES, export_response
from exhibitions.exhibitors.permissions import can_manage_organizations
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import message_for
from exhibitions.web.i18n import N_, Translator

IMPORT_PAGE = "/organize/organizations/import"
SAMPLE_URL = "/static/samples/organizations.csv"

# What each problem means, in the organizer's language (web.forms knows the common ones).
IMPORT_MESSAGES = {
    "file_too_large": N_("The file is too large (10 MB at most). Split it into several files."),
    "too_many_rows": N_("The file has more than 50,000 rows. Split it into several files."),
    "empty_file": N_("The file is empty."),
    "bad_encoding": N_("The file's text encoding is not UTF-8 nor Arabic Windows-1256. Save it as “CSV UTF-8”."),
    "not_a_spreadsheet": N_("This is not a CSV or XLSX file."),
    "bad_csv": N_("The CSV file could not be read."),
    "missing_column": N_("A required column is missing; compare the headers with the sample file."),
    "duplicate_column": N_("Two columns hold the same field."),
    "name_required": N_("Give the name in Arabic or in Latin script."),
    "invalid_ice": N_("The ICE must be 15 digits and valid."),
    "more_than_members": N_("This number cannot exceed the number of members."),
    "unknown_legal_form": N_("Unknown legal form: cooperative, association, mutual, company or public body."),
    "unknown_sector": N_("Unknown sector."),
    "unknown_region": N_("Unknown region: give its code (MA-01 to MA-12) or its name."),
    "invalid_phone": N_("Enter a Moroccan phone number, like 05 28 84 12 34."),
    "not_a_number": N_("This must be a whole number."),
    "out_of_range": N_("This number is out of range."),
    "two_organizations": N_("This ICE and this registry number belong to two different organizations."),
    "ice_differs": N_("This registry number is registered with another ICE."),
    "upload_expired": N_("This preview has expired (30 minutes) or was already imported. Upload the file again."),
    "taken_meanwhile": N_("Someone registered this organization during the import; import the file again."),
}
DUPLICATE_MESSAGES = {
    "registry_number": N_("Same registry number as row %(row)s."),
    "ice": N_("Same ICE as row %(row)s."),
}


def problem_message(code: str, field: str, reason: str, other_row: int | None, translator: Translator) -> str:
    if code == "duplicate_in_file" and other_row is not None:
        return translator.gettext(DUPLICATE_MESSAGES.get(field, DUPLICATE_MESSAGES["registry_number"])) % {
            "row": other_row
        }
    if code in IMPORT_MESSAGES:
        return translator.gettext(IMPORT_MESSAGES[code])
    return message_for(FieldError(field, code, reason), translator)


class UploadForm(Struct):
    file: UploadFile | None = None


class ConfirmForm(Struct):
    token: str = ""


def _require_organizer(request: Request[Any, Any, Any]) -> None:
    if not can_manage_organizations(current_actor(request)):
        raise PermissionDenied("only organizers import organizations")


class ImportPagesController(Controller):
    guards = [requires_staff]
    include_in_schema = False

    @get(IMPORT_PAGE)
    async def form(self, request: Request[Any, Any, Any]) -> Template:
        _require_organizer(request)
        return self._form(request, [])

    def _form(self, request: Request[Any, Any, Any], errors: list[FieldError], status_code: int = 200) -> Template:
        translator = translator_for(request)
        problems = [
            {"message": problem_message(error.code, error.field, error.reason, None, translator),
             "detail": error.reason}
            for error in errors
        ]  # fmt: skip
        return page(
            request, "exhibitors/import/upload.html", status_code=status_code, problems=problems, sample=SAMPLE_URL
        )

    @post(IMPORT_PAGE, request_max_body_size=UPLOAD_BODY_BYTES)
    async def preview(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        _require_organizer(request)
        content = await data.file.read() if isinstance(data.file, UploadFile) else b""
        if not content:
            return self._form(request, [FieldError("file", "required", "choose a file")], 422)
        try:
            report, token = await services.preview_upload(data=content, actor=current_actor(request), now=utcnow())
        except InvalidInput as exc:
            return self._form(request, exc.errors, 422)
        return self._report(request, "exhibitors/import/preview.html", report, token=token)

    @post(f"{IMPORT_PAGE}/confirm")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[ConfirmForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        try:
            report = await services.import_held_upload(token=data.token, actor=current_actor(request), now=utcnow())
        except NotFound:
            expired = FieldError("file", "upload_expired", "upload the file again")
            return self._form(request, [expired], 410)
        except InvalidInput as exc:
            return self._form(request, exc.errors, 422)
        return self._report(request, "exhibitors/import/result.html", report)

    def _report(
        self, request: Request[Any, Any, Any], template: str, report: services.ImportReport, **context: Any
    ) -> Template:
        translator = translator_for(request)
        problems = [
            {"row": bad.row, "column": bad.column or bad.field,
             "message": problem_message(bad.code, bad.field, bad.reason, bad.other_row, translator)}
            for bad in report.errors
        ]  # fmt: skip
        return page(request, template, report=report, problems=problems, sample=SAMPLE_URL, **context)

    @get("/organize/organizations.csv")
    async def organizations_csv(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        export = await services.export_organizations(actor=current_actor(request), fmt=services.ExportFormat.csv)
        return export_response(export)

    @get("/organize/organizations.xlsx")
    async def organizations_xlsx(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        export = await services.export_organizations(actor=current_actor(request), fmt=services.ExportFormat.xlsx)
        return export_response(export)

    @get("/organize/exhibitions/{slug:str}/applications.csv")
    async def applications_csv(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        export = await services.export_applications(
            slug=slug, actor=current_actor(request), fmt=services.ExportFormat.csv
        )
        return export_response(export)

    @get("/organize/exhibitions/{slug:str}/applications.xlsx")
    async def applications_xlsx(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        export = await services.export_applications(
            slug=slug, actor=current_actor(request), fmt=services.ExportFormat.xlsx
        )
        return export_response(export)
