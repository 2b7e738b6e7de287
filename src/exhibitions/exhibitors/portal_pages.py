"""The exhibitor portal: my organizations and applications, register and edit an
organization, apply to an exhibition and follow the application to its decision."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter
from litestar.response import Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.errors import Conflict, DuplicateValue, FieldError, InvalidInput, NotFound
from exhibitions.events.regions import all_regions, regions_by_code
from exhibitions.exhibitors import services
from exhibitions.exhibitors.labels import LEGAL_FORM_LABELS, SECTOR_LABELS
from exhibitions.exhibitors.schemas import (
    ApplicationCreate,
    ApplicationUpdate,
    OrganizationCreate,
    OrganizationUpdate,
)
from exhibitions.exhibitors.tables import LegalForm, StandType
from exhibitions.exhibitors.validation import is_women_led
from exhibitions.exhibitors.workflow import ApplicationStatus, Party, editable, who_may_move
from exhibitions.web.context import page, translator_for
from exhibitions.web.forms import FIELD_MESSAGES, parse_form
from exhibitions.web.i18n import N_, Translator

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]

# What a person reads for each stored value; marked here, translated where shown.
LEGAL_FORM_NAMES = LEGAL_FORM_LABELS
SECTOR_NAMES = SECTOR_LABELS
STAND_TYPE_NAMES = {
    StandType.standard.value: N_("Standard stand"),
    StandType.corner.value: N_("Corner stand"),
    StandType.island.value: N_("Island stand"),
    StandType.outdoor.value: N_("Outdoor stand"),
}
STATUS_NAMES = {
    ApplicationStatus.draft.value: N_("Draft"),
    ApplicationStatus.submitted.value: N_("Submitted"),
    ApplicationStatus.approved.value: N_("Approved"),
    ApplicationStatus.waitlisted.value: N_("On the waiting list"),
    ApplicationStatus.rejected.value: N_("Not selected"),
    ApplicationStatus.withdrawn.value: N_("Withdrawn"),
}
# The history says what happened in words, not status codes.
EVENT_NAMES = {
    ApplicationStatus.draft.value: N_("Application started"),
    ApplicationStatus.submitted.value: N_("Application submitted"),
    ApplicationStatus.approved.value: N_("Approved"),
    ApplicationStatus.waitlisted.value: N_("Put on the waiting list"),
    ApplicationStatus.rejected.value: N_("Not selected"),
    ApplicationStatus.withdrawn.value: N_("Withdrawn"),
}
PARTY_NAMES = {Party.applicant.value: N_("your organization"), Party.organizer.value: N_("the organizers")}
# The same history on the organizers' page, where "your organization" would be wrong.
ORGANIZER_PARTY_NAMES = {Party.applicant.value: N_("the applicant"), Party.organizer.value: N_("the organizers")}

# Codes of the exhibitors' rules that web/forms.py does not know, said in the person's language.
EXHIBITOR_MESSAGES = {
    "invalid_ice": N_("Enter the 15 digits of a valid ICE (Identifiant Commun de l'Entreprise)."),
    "name_required": N_("Give the name in Arabic or in Latin script."),
    "more_than_members": N_("This cannot be more than the total number of members."),
    "invalid_phone": N_("Enter a Moroccan phone number, like 05 28 84 12 34."),
    "not_draft": N_("Only a draft can be changed."),
    "ended": N_("This exhibition is over."),
    "changed": N_("The application changed meanwhile: reload the page."),
    "not_found": N_("This application is not here any more."),
    "none_ticked": N_("Tick at least one application."),
    "already_applied": N_("This organization has applied to this exhibition already: see My applications."),
}
ORGANIZATION_FIELDS = (
    "legal_form", "name_ar", "name_latin", "registry_number", "ice", "region", "city", "sector", "founded_year",
    "members_total", "members_women", "members_youth", "email", "phone",
)  # fmt: skip
APPLICATION_FIELDS = ("stand_type", "stand_area_m2", "preferred_zone", "products")
APPLICATION_FLAGS = ("needs_power", "needs_water", "needs_accessible", "accepts_sharing")


def message_for_code(code: str, reason: str, translator: Translator) -> str:
    template = EXHIBITOR_MESSAGES.get(code) or FIELD_MESSAGES.get(code)
    return translator.gettext(template) if template else reason


def field_messages(errors: list[FieldError], translator: Translator) -> dict[str, str]:
    """The first message per field, in the person's language (as web/forms.errors_by_field,
    knowing the exhibitors' codes too)."""
    messages: dict[str, str] = {}
    for error in errors:
        messages.setdefault(
            error.field.split(".")[0].split("[")[0], message_for_code(error.code, error.reason, translator)
        )
    return messages


def organization_name(row: dict[str, Any], language: str) -> str:
    """The name in the reader's script first: Arabic for Arabic pages, Latin otherwise."""
    names = (row.get("name_ar"), row.get("name_latin"))
    ordered = names if language == "ar" else names[::-1]
    return next((name for name in ordered if name), "")


def choices(names: dict[str, str], translator: Translator) -> list[tuple[str, str]]:
    return [(value, translator.gettext(label)) for value, label in names.items()]


def history_lines(application: dict[str, Any]) -> list[dict[str, Any]]:
    """Each status change with who made it, by role: the organizers are never named."""
    lines = []
    for event in application["history"]:
        if event["from_status"] is None:
            party = Party.applicant
        else:
            mover = who_may_move(ApplicationStatus(event["from_status"]), ApplicationStatus(event["to_status"]))
            party = mover or Party.organizer
        lines.append({**event, "party": party.value})
    return lines


def _checked(data: dict[str, str], name: str) -> bool:
    return data.get(name) in ("on", "true", "1")


def _organization_values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: "" if row.get(name) is None else str(row[name]) for name in ORGANIZATION_FIELDS}
    values["declared_women_led"] = bool(row.get("declared_women_led"))
    return values


def _application_values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: "" if row.get(name) is None else str(row[name]) for name in APPLICATION_FIELDS}
    values.update({name: bool(row.get(name)) for name in APPLICATION_FLAGS})
    return values


def parse_organization(data: dict[str, str]) -> tuple[OrganizationCreate | None, list[FieldError]]:
    return parse_form(OrganizationCreate, data, overrides={"declared_women_led": _checked(data, "declared_women_led")})


def parse_application(
    data: dict[str, str], organization: int | None
) -> tuple[ApplicationCreate | None, list[FieldError]]:
    overrides: dict[str, Any] = {name: _checked(data, name) for name in APPLICATION_FLAGS}
    overrides["near_organizations"] = []
    if organization is not None:
        overrides["organization"] = organization
    return parse_form(ApplicationCreate, data, overrides=overrides)


class PortalPagesController(Controller):
    path = "/portal"
    guards = [requires_login]
    include_in_schema = False

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        actor = current_actor(request)
        organizations = await services.list_member_organizations(actor=actor)
        applications = await services.list_my_applications(actor=actor)
        applied = {(row["exhibition_slug"], row["organization_id"]) for row in applications}
        exhibitions = await services.open_exhibitions(now=utcnow())
        # An exhibition is worth an "apply" button while one of my organizations has not applied.
        for exhibition in exhibitions:
            exhibition["can_apply"] = any((exhibition["slug"], org["id"]) not in applied for org in organizations)
        return page(
            request,
            "exhibitors/portal/home.html",
            organizations=organizations,
            applications=applications,
            exhibitions=exhibitions,
            **display_names(),
        )

    # Organizations -------------------------------------------------------------------------

    def _organization_form(
        self,
        request: Request[Any, Any, Any],
        *,
        values: dict[str, Any],
        errors: dict[str, str],
        organization: dict[str, Any] | None,
        status_code: int = 200,
    ) -> Template:
        translator = translator_for(request)
        return page(
            request,
            "exhibitors/portal/organization_form.html",
            status_code=status_code,
            values=values,
            errors=errors,
            organization=organization,
            women_led=organization is not None
            and is_women_led(
                declared=bool(organization["declared_women_led"]),
                members_total=organization["members_total"],
                members_women=organization["members_women"],
            ),
            regions=[(region.code, region.name(translator.language)) for region in all_regions()],
            legal_forms=choices(LEGAL_FORM_NAMES, translator),
            sectors=choices(SECTOR_NAMES, translator),
            saved=request.query_params.get("saved") == "1",
        )

    @get("/organizations/new")
    async def new_organization(self, request: Request[Any, Any, Any]) -> Template:
        values = {"legal_form": LegalForm.cooperative.value, "members_total": "0", "members_women": "0",
                  "members_youth": "0"}  # fmt: skip
        return self._organization_form(request, values=values, errors={}, organization=None)

    @post("/organizations/new")
    async def create_organization(
        self, request: Request[Any, Any, Any], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_organization(data)
        if parsed is not None:
            try:
                row = await services.create_organization(data=parsed, actor=current_actor(request), now=utcnow())
                return Redirect(path=f"/portal/organizations/{row['id']}?saved=1")
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        values = {**data, "declared_women_led": _checked(data, "declared_women_led")}
        messages = field_messages(errors, translator_for(request))
        return self._organization_form(request, values=values, errors=messages, organization=None, status_code=422)

    @get("/organizations/{organization_id:int}")
    async def organization(self, request: Request[Any, Any, Any], organization_id: ObjectId) -> Template:
        row = await services.get_organization(organization_id=organization_id, actor=current_actor(request))
        return self._organization_form(request, values=_organization_values(row), errors={}, organization=row)

    @post("/organizations/{organization_id:int}")
    async def update_organization(
        self, request: Request[Any, Any, Any], organization_id: ObjectId, data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        actor = current_actor(request)
        current = await services.get_organization(organization_id=organization_id, actor=actor)
        parsed, errors = parse_organization(data)
        if parsed is not None:
            # The form shows every field: each is a change, and an emptied optional field is cleared.
            changes = OrganizationUpdate(**msgspec.structs.asdict(parsed))
            try:
                await services.update_organization(
                    organization_id=organization_id, changes=changes, actor=actor, now=utcnow()
                )
                return Redirect(path=f"/portal/organizations/{organization_id}?saved=1")
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        values = {**data, "declared_women_led": _checked(data, "declared_women_led")}
        messages = field_messages(errors, translator_for(request))
        return self._organization_form(request, values=values, errors=messages, organization=current, status_code=422)

    # Applications --------------------------------------------------------------------------

    async def _apply_form(
        self,
        request: Request[Any, Any, Any],
        *,
        exhibition: dict[str, Any],
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        translator = translator_for(request)
        organizations = await services.list_member_organizations(actor=current_actor(request))
        return page(
            request,
            "exhibitors/portal/apply.html",
            status_code=status_code,
            exhibition=exhibition,
            organizations=organizations,
            values=values,
            errors=errors,
            stand_types=choices(STAND_TYPE_NAMES, translator),
            organization_name=organization_name,
        )

    async def _open_exhibition(self, slug: str) -> dict[str, Any]:
        for exhibition in await services.open_exhibitions(now=utcnow()):
            if exhibition["slug"] == slug:
                return exhibition
        raise NotFound(f"no exhibition {slug!r} open for applications")

    @get("/exhibitions/{slug:str}/apply")
    async def apply_form(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        exhibition = await self._open_exhibition(slug)
        values = {"stand_type": StandType.standard.value, "stand_area_m2": "9"}
        return await self._apply_form(request, exhibition=exhibition, values=values, errors={})

    @post("/exhibitions/{slug:str}/apply")
    async def apply(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        exhibition = await self._open_exhibition(slug)
        parsed, errors = parse_application(data, None)
        if parsed is not None:
            try:
                row = await services.create_application(
                    slug=slug, data=parsed, actor=current_actor(request), now=utcnow()
                )
                return Redirect(path=f"/portal/applications/{row['id']}")
            except DuplicateValue:
                errors = [FieldError("organization", "already_applied", "has an application here already")]
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        values = {**data, **{name: _checked(data, name) for name in APPLICATION_FLAGS}}
        messages = field_messages(errors, translator_for(request))
        return await self._apply_form(request, exhibition=exhibition, values=values, errors=messages, status_code=422)

    async def _application_page(
        self,
        request: Request[Any, Any, Any],
        application_id: int,
        *,
        template: str = "exhibitors/portal/application.html",
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        view = await services.application_view(application_id=application_id, actor=current_actor(request))
        if not view.is_member:
            # The portal is the applicant's view; organizers read it on their own pages.
            raise NotFound(f"no application {application_id}")
        translator = translator_for(request)
        status = ApplicationStatus(view.application["status"])
        # The stand, once the organizers published it (a draft proposal is never shown).
        from exhibitions.stands.services import stand_of_application  # the stands domain imports this one

        stand = await stand_of_application(application_id)
        if stand is not None and stand["published_at"] is None:
            stand = None
        return page(
            request,
            template,
            status_code=status_code,
            view=view,
            application=view.application,
            exhibition=view.exhibition,
            organization=view.organization,
            history=history_lines(view.application),
            can_edit=editable(status),
            can_submit=who_may_move(status, ApplicationStatus.submitted) is Party.applicant,
            can_withdraw=who_may_move(status, ApplicationStatus.withdrawn) is Party.applicant,
            values=values if values is not None else _application_values(view.application),
            errors=errors or {},
            stand_types=choices(STAND_TYPE_NAMES, translator),
            stand=stand,
            **display_names(),
        )

    @get("/applications/{application_id:int}")
    async def application(self, request: Request[Any, Any, Any], application_id: ObjectId) -> Template:
        return await self._application_page(request, application_id)

    @get("/applications/{application_id:int}/edit")
    async def edit_application_form(self, request: Request[Any, Any, Any], application_id: ObjectId) -> Template:
        return await self._application_page(request, application_id, template="exhibitors/portal/application_edit.html")

    @post("/applications/{application_id:int}/edit")
    async def edit_application(
        self, request: Request[Any, Any, Any], application_id: ObjectId, data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        actor = current_actor(request)
        view = await services.application_view(application_id=application_id, actor=actor)
        parsed, errors = parse_application(data, view.application["organization"])
        if parsed is not None:
            fields = {
                k: v
                for k, v in msgspec.structs.asdict(parsed).items()
                if k not in ("organization", "near_organizations")
            }
            try:
                await services.update_application(
                    application_id=application_id, changes=ApplicationUpdate(**fields), actor=actor, now=utcnow()
                )
                return Redirect(path=f"/portal/applications/{application_id}")
            except (InvalidInput, Conflict) as exc:
                errors = exc.errors
        values = {**data, **{name: _checked(data, name) for name in APPLICATION_FLAGS}}
        return await self._application_page(
            request, application_id, template="exhibitors/portal/application_edit.html", values=values,
            errors=field_messages(errors, translator_for(request)), status_code=422,
        )  # fmt: skip

    @post("/applications/{application_id:int}/submit")
    async def submit(self, request: Request[Any, Any, Any], application_id: ObjectId) -> Template | Redirect:
        return await self._move(request, application_id, ApplicationStatus.submitted, "")

    @get("/applications/{application_id:int}/withdraw")
    async def withdraw_form(self, request: Request[Any, Any, Any], application_id: ObjectId) -> Template:
        return await self._application_page(
            request, application_id, template="exhibitors/portal/withdraw.html", values={"reason": ""}
        )

    @post("/applications/{application_id:int}/withdraw")
    async def withdraw(
        self, request: Request[Any, Any, Any], application_id: ObjectId, data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        reason = data.get("reason", "")
        if len(reason) > 2000:
            return await self._application_page(
                request, application_id, template="exhibitors/portal/withdraw.html", values={"reason": reason},
                errors={"reason": translator_for(request).gettext(FIELD_MESSAGES["text_too_long"])}, status_code=422,
            )  # fmt: skip
        return await self._move(request, application_id, ApplicationStatus.withdrawn, reason)

    async def _move(
        self, request: Request[Any, Any, Any], application_id: int, to: ApplicationStatus, reason: str
    ) -> Template | Redirect:
        actor = current_actor(request)
        view = await services.application_view(application_id=application_id, actor=actor)
        if not view.is_member:
            raise NotFound(f"no application {application_id}")
        try:
            await services.move_application(
                application_id=application_id, to=to, actor=actor, reason=reason, now=utcnow()
            )
        except Conflict as exc:
            return await self._application_page(
                request, application_id, errors=field_messages(exc.errors, translator_for(request)), status_code=409
            )
        return Redirect(path=f"/portal/applications/{application_id}")


def display_names() -> dict[str, Any]:
    """The value-to-words tables every exhibitor template reads."""
    return {
        "legal_form_names": LEGAL_FORM_NAMES,
        "sector_names": SECTOR_NAMES,
        "stand_type_names": STAND_TYPE_NAMES,
        "status_names": STATUS_NAMES,
        "event_names": EVENT_NAMES,
        "party_names": PARTY_NAMES,
        "regions_by_code": regions_by_code(),
        "organization_name": organization_name,
    }
