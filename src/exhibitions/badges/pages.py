"""Badge pages: the organizers' holders list (search, filters, pages), single badges, batches
with their progress (htmx polling) and downloads, exhibitors' quotas; the exhibitor portal's
staff badges within the quota; and the small page a badge's QR opens. Forms work without
JavaScript and come back with what was typed and each error in the reader's language."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Response, Template
from msgspec import Struct

from exhibitions.accounts.guards import MAX_ID, MAX_PAGE, current_actor, requires_login, requires_staff
from exhibitions.badges import services
from exhibitions.badges.schemas import ROLES, SIZES, BatchIn, HolderIn, StaffBadgeIn
from exhibitions.clock import utcnow
from exhibitions.documents import render_in_thread
from exhibitions.errors import Conflict, FieldError, InvalidInput, NotFound
from exhibitions.events import services as event_services
from exhibitions.exhibitors.import_api import UPLOAD_BODY_BYTES
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.downloads import private_attachment
from exhibitions.web.forms import message_for, parse_form
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PAGE = "/organize/exhibitions/{slug:str}/badges"
Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
LEAD_ID = r"^[A-Za-z0-9_-]{22}$"

ROLE_NAMES = {
    "exhibitor_staff": N_("Exhibitor staff"),
    "speaker": N_("Speaker"),
    "moderator": N_("Moderator"),
    "organizer": N_("Organizer"),
    "staff": N_("Staff"),
    "press": N_("Press"),
    "vip": N_("VIP / partner"),
}
SIZE_NAMES = {"a6": N_("A6 (4 per A4 sheet)"), "label": N_("Label 90 × 55 mm (10 per A4 sheet)")}
BATCH_STATUS_NAMES = {
    "queued": N_("Waiting"),
    "running": N_("Printing"),
    "done": N_("Ready"),
    "failed": N_("Failed"),
}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
MESSAGES = {
    services.QUOTA_FULL: N_("Your quota of staff badges is used up. Cancel a badge, or ask the organizers."),
    services.NOT_ELIGIBLE: N_("Staff badges are for approved exhibitors once their stand is published."),
    "empty": N_("No badge matches this choice."),
    "not_done": N_("This batch is not ready yet."),
    "not_failed": N_("Only a failed batch can be retried."),
    "unknown_role": N_("Unknown role: press, VIP / partner, staff or organizer."),
    "role_required": N_("Give the role, or choose the role of rows without one."),
    "missing_column": N_("The file needs a name column (full_name, nom or الاسم)."),
}
IMPORT_FIELDS = {
    "role": N_("Role"),
    "full_name": N_("Full name"),
    "title": N_("Title or function"),
    "organization_label": N_("Organization"),
    "email": N_("E-mail"),
    "language": N_("Language"),
}


class ImportForm(Struct):
    file: UploadFile | None = None
    role: str = ""
    language: str = ""


def say(error: FieldError, translator: Translator) -> str:
    return translator.gettext(MESSAGES[error.code]) if error.code in MESSAGES else message_for(error, translator)


def field_messages(errors: list[FieldError], translator: Translator) -> dict[str, str]:
    messages: dict[str, str] = {}
    for error in errors:
        messages.setdefault(error.field.split(".")[0], say(error, translator))
    return messages


def _blank_to_none(data: dict[str, str], *names: str) -> dict[str, str]:
    return {key: value for key, value in data.items() if not (key in names and not value.strip())}


def _display() -> dict[str, Any]:
    return {
        "role_names": ROLE_NAMES, "size_names": SIZE_NAMES, "batch_status_names": BATCH_STATUS_NAMES,
        "language_names": LANGUAGE_NAMES, "roles": ROLES, "sizes": SIZES,
        "printed_organization": services.printed_organization, "criteria_of": services.criteria_of,
    }  # fmt: skip


class BadgePagesController(Controller):
    path = PAGE
    guards = [requires_staff]
    include_in_schema = False

    async def _holders_page(
        self, request: Request[Any, Any, Any], slug: str, *, values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None, batch_errors: dict[str, str] | None = None, status_code: int = 200,
        imported: services.HolderImport | None = None, import_errors: list[str] | None = None,
        import_values: dict[str, str] | None = None,
    ) -> Template:  # fmt: skip
        actor = current_actor(request)
        query = request.query_params
        role = query.get("role") if query.get("role") in ROLES else None
        organization = query.get("organization", "")
        organization_id = int(organization) if organization.isdigit() and 0 < int(organization) <= MAX_ID else None
        search = (query.get("q") or "").strip()[:100]
        number = query.get("page", "1")
        page_number = min(int(number), MAX_PAGE) if number.isdigit() and int(number) > 0 else 1
        found = await services.list_holders(
            slug=slug, actor=actor, role=role, organization_id=organization_id, search=search or None,
            page=page_number,
        )  # fmt: skip
        detail = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        quotas = await services.exhibitor_quotas(slug=slug, actor=actor)
        kept = "".join(f"{key}={value}&" for key, value in (("role", role), ("organization", organization_id)) if value)
        if search:
            from urllib.parse import quote

            kept += f"q={quote(search)}&"
        return page(
            request, "badges/pages/holders.html", status_code=status_code, slug=slug, exhibition=detail,
            holders=found.rows, pagination=found, kept=kept, role=role, organization_id=organization_id, q=search,
            organizations=quotas, values=values or {"language": translator_for(request).language, "size": "a6"},
            errors=errors or {}, batch_errors=batch_errors or {}, synced=query.get("synced"), imported=imported,
            import_errors=import_errors or [], import_values=import_values or {},
            imported_roles=services.IMPORTED_ROLES, **_display(),
        )  # fmt: skip

    @get("/")
    async def holders(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._holders_page(request, slug)

    @post("/holders")
    async def add_holder(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        translator = translator_for(request)
        form = _blank_to_none(data, "email", "organization_id")
        holder, errors = parse_form(HolderIn, form)
        if holder is not None:
            try:
                await services.add_holder(slug=slug, data=holder, actor=current_actor(request), now=utcnow())
            except (InvalidInput, Conflict) as exc:
                errors = list(exc.errors)
        if errors:
            return await self._holders_page(
                request, slug, values=data, errors=field_messages(errors, translator), status_code=422
            )
        return Redirect(path=f"/organize/exhibitions/{slug}/badges")

    @post("/import", request_max_body_size=UPLOAD_BODY_BYTES)
    async def import_holders(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        translator = translator_for(request)
        chosen = {"role": data.role, "language": data.language}
        content = await data.file.read() if data.file is not None else b""
        try:
            report = await services.import_holders(
                slug=slug, data=content, actor=current_actor(request), now=utcnow(),
                default_role=data.role or None, default_language=data.language or translator.language,
            )  # fmt: skip
        except InvalidInput as exc:
            problems = [say(error, translator) for error in exc.errors]
            return await self._holders_page(
                request, slug, import_errors=problems, import_values=chosen, status_code=422
            )
        if report.errors:
            problems = [
                translator.gettext("Row %(row)s, %(field)s: %(message)s") % {
                    "row": bad.row, "field": translator.gettext(IMPORT_FIELDS.get(bad.field, bad.field)),
                    "message": say(FieldError(bad.field, bad.code, bad.reason), translator),
                }
                for bad in report.errors
            ]  # fmt: skip
            return await self._holders_page(
                request, slug, import_errors=problems, import_values=chosen, status_code=422
            )
        return await self._holders_page(request, slug, imported=report, import_values=chosen)

    @post("/holders/{holder_id:int}/delete")
    async def delete_holder(self, request: Request[Any, Any, Any], slug: FromPath[str], holder_id: Id) -> Redirect:
        await services.delete_holder(slug=slug, holder_id=holder_id, actor=current_actor(request))
        return Redirect(path=f"/organize/exhibitions/{slug}/badges")

    @get("/holders/{holder_id:int}/badge.pdf")
    async def holder_pdf(
        self, request: Request[Any, Any, Any], slug: FromPath[str], holder_id: Id,
        size: Annotated[str, QueryParameter(pattern=r"^(a6|label)$")] = "a6",
    ) -> Response[bytes]:  # fmt: skip
        pdf = await services.single_badge_pdf(
            slug=slug, holder_id=holder_id, actor=current_actor(request), base_url=settings_of(request).base_url,
            size=size,
        )  # fmt: skip
        return private_attachment(pdf, filename=f"badge-{holder_id}.pdf", media_type="application/pdf")

    @post("/sync")
    async def sync(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        report = await services.sync_holders(slug=slug, actor=current_actor(request), now=utcnow())
        return Redirect(path=f"/organize/exhibitions/{slug}/badges?synced={report.total}")

    @post("/batches")
    async def create_batch(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        translator = translator_for(request)
        form = _blank_to_none(data, "role", "organization_id")
        choice, errors = parse_form(BatchIn, form, {"new_only": bool(data.get("new_only"))})
        if choice is not None:
            try:
                await services.create_batch(slug=slug, data=choice, actor=current_actor(request), now=utcnow())
            except InvalidInput as exc:
                errors = list(exc.errors)
        if errors:
            return await self._holders_page(
                request, slug, batch_errors=field_messages(errors, translator), status_code=422
            )
        return Redirect(path=f"/organize/exhibitions/{slug}/badges/batches")

    @get("/batches")
    async def batches(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        actor = current_actor(request)
        rows = await services.list_batches(slug=slug, actor=actor)
        detail = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        return page(
            request, "badges/pages/batches.html", slug=slug, exhibition=detail, batches=rows,
            organization_names=await self._organization_names(slug, request), **_display(),
        )  # fmt: skip

    async def _organization_names(self, slug: str, request: Request[Any, Any, Any]) -> dict[int, str]:
        rows = await services.exhibitor_quotas(slug=slug, actor=current_actor(request))
        return {row["organization_id"]: row["name_latin"] or row["name_ar"] or "" for row in rows}

    @get("/batches/{batch_id:int}/row")
    async def batch_row(self, request: Request[Any, Any, Any], slug: FromPath[str], batch_id: Id) -> Template:
        """One batch's row, which htmx swaps in every second while it is waiting or printing."""
        batch = await services.get_batch(slug=slug, batch_id=batch_id, actor=current_actor(request))
        return page(
            request, "badges/pages/_batch_row.html", slug=slug, batch=batch,
            organization_names=await self._organization_names(slug, request), **_display(),
        )  # fmt: skip

    @post("/batches/{batch_id:int}/retry")
    async def retry(self, request: Request[Any, Any, Any], slug: FromPath[str], batch_id: Id) -> Redirect:
        await services.retry_batch(slug=slug, batch_id=batch_id, actor=current_actor(request))
        return Redirect(path=f"/organize/exhibitions/{slug}/badges/batches")

    @get("/batches/{batch_id:int}/file")
    async def batch_file(self, request: Request[Any, Any, Any], slug: FromPath[str], batch_id: Id) -> Response[bytes]:
        path = await services.batch_file(
            slug=slug, batch_id=batch_id, actor=current_actor(request), data_dir=settings_of(request).data_dir
        )
        return private_attachment(
            path.read_bytes(), filename=f"badges-{slug}-{batch_id}.pdf", media_type="application/pdf"
        )

    @post("/quotas/{organization_id:int}")
    async def set_quota(
        self, request: Request[Any, Any, Any], slug: FromPath[str], organization_id: Id,
        data: Annotated[dict[str, str], FORM],
    ) -> Template | Redirect:  # fmt: skip
        text = data.get("quota", "").strip()
        if text and not (text.isdigit() and int(text) <= 200):
            message = translator_for(request).gettext("Give a number of badges from 0 to 200, or nothing for the rule.")
            return await self._holders_page(
                request, slug, errors={f"quota_{organization_id}": message}, status_code=422
            )
        await services.set_staff_quota(
            slug=slug, organization_id=organization_id, quota=int(text) if text else None,
            actor=current_actor(request),
        )  # fmt: skip
        return Redirect(path=f"/organize/exhibitions/{slug}/badges#quotas")


class PortalBadgePagesController(Controller):
    """The exhibitor's staff badges, beside its application in the portal."""

    path = "/portal/applications/{application_id:int}/badges"
    guards = [requires_login]
    include_in_schema = False

    async def _page(
        self, request: Request[Any, Any, Any], application_id: int, *, values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None, status_code: int = 200,
    ) -> Template:  # fmt: skip
        badges = await services.staff_badges(application_id=application_id, actor=current_actor(request))
        return page(
            request, "badges/pages/portal.html", status_code=status_code, application_id=application_id,
            badges=badges, values=values or {"language": translator_for(request).language},
            errors=errors or {}, **_display(),
        )  # fmt: skip

    @get("/")
    async def show(self, request: Request[Any, Any, Any], application_id: Id) -> Template:
        return await self._page(request, application_id)

    @post("/")
    async def request_badge(
        self, request: Request[Any, Any, Any], application_id: Id, data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        translator = translator_for(request)
        wanted, errors = parse_form(StaffBadgeIn, _blank_to_none(data, "email"))
        if wanted is not None:
            try:
                await services.request_staff_badge(
                    application_id=application_id, data=wanted, actor=current_actor(request), now=utcnow()
                )
            except (InvalidInput, Conflict) as exc:
                errors = list(exc.errors)
        if errors:
            return await self._page(
                request, application_id, values=data, errors=field_messages(errors, translator), status_code=422
            )
        return Redirect(path=f"/portal/applications/{application_id}/badges")

    @post("/{holder_id:int}/cancel")
    async def cancel(self, request: Request[Any, Any, Any], application_id: Id, holder_id: Id) -> Redirect:
        await services.cancel_staff_badge(
            application_id=application_id, holder_id=holder_id, actor=current_actor(request)
        )
        return Redirect(path=f"/portal/applications/{application_id}/badges")

    @get("/badges.pdf")
    async def download(self, request: Request[Any, Any, Any], application_id: Id) -> Response[bytes]:
        badges = await services.staff_badges(application_id=application_id, actor=current_actor(request))
        if badges is None or not badges.holders:
            raise NotFound("no staff badge to download")
        views = await services.staff_badge_views(
            exhibition_id=badges.application["exhibition"], organization_id=badges.application["organization"],
            base_url=settings_of(request).base_url,
        )  # fmt: skip
        from exhibitions.badges.rendering import render_sheet

        pdf = await render_in_thread(render_sheet, views, size="a6", cut_marks=True, processes=1)
        return private_attachment(pdf, filename=f"staff-badges-{application_id}.pdf", media_type="application/pdf")


class LeadPagesController(Controller):
    """What a badge's QR opens: whose badge it is, by role and organization, never the person.
    Lead capture (an exhibitor keeping the contacts it met) arrives in a later issue."""

    path = "/leads"
    include_in_schema = False

    @get("/{lead_id:str}")
    async def lead(self, request: Request[Any, Any, Any], lead_id: FromPath[str]) -> Template:
        # A mistyped code is a badge we do not know, like any other: 404, not a validation error.
        holder = await services.holder_by_lead(lead_id) if re.fullmatch(LEAD_ID, lead_id) else None
        if holder is None:
            raise NotFound("no such badge")
        language = translator_for(request).language
        organization = services.printed_organization(
            {**holder, "organization": holder["organization_name_ar"] or holder["organization_name_latin"],
             "language": language}
        )  # fmt: skip
        title = holder.get(f"title_{language}") or holder["title_fr"]
        return page(request, "badges/pages/lead.html", holder=holder, organization=organization, title=title,
                    **_display())  # fmt: skip


def criteria_summary(batch: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(batch["criteria"]))
