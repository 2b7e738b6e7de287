"""Pages for the gates: the scanner page gate staff open on a phone, and the organizers'
page for checkpoints, scanner devices and live counts."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, PathParameter
from litestar.response import File, Redirect, Template

from exhibitions.accounts.guards import MAX_ID, current_actor, requires_staff
from exhibitions.clock import utcnow
from exhibitions.errors import FieldError, InvalidInput
from exhibitions.events import services as event_services
from exhibitions.paths import STATIC_DIR
from exhibitions.tickets import services
from exhibitions.tickets.policies import ScanResult
from exhibitions.tickets.qr import qr_svg
from exhibitions.tickets.schemas import CheckpointIn
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy
from exhibitions.web.context import page, settings_of, translator_for
from exhibitions.web.forms import errors_by_field, parse_form
from exhibitions.web.i18n import N_

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)

# What the scanner shows for each result, and its colour: green lets in, red stops,
# orange asks staff to look (a second scan, a full room, a wrong day).
RESULT_MESSAGES = {
    ScanResult.admitted: (N_("Admitted"), "green"),
    ScanResult.already_admitted: (N_("Already admitted"), "orange"),
    ScanResult.invalid: (N_("Invalid ticket"), "red"),
    ScanResult.revoked: (N_("Cancelled ticket"), "red"),
    ScanResult.wrong_exhibition: (N_("Ticket for another exhibition"), "red"),
    ScanResult.not_valid_today: (N_("Not valid today"), "orange"),
    ScanResult.checkpoint_closed: (N_("Closed now: outside opening hours"), "orange"),
    ScanResult.capacity_reached: (N_("Full: capacity reached"), "orange"),
    ScanResult.not_inside: (N_("Not checked in here"), "orange"),
    ScanResult.exited: (N_("Exit recorded"), "green"),
}

SCANNER_TEXTS = {
    "queued": N_("Saved offline: will be sent when the network returns"),
    "offline_admitted": N_("Valid signature (checked offline)"),
    "offline_seen": N_("Already scanned on this phone"),
    "offline_unverified": N_("Manual code saved offline: it is checked when the network returns"),
    "synced": N_("Offline scans sent: %(count)s"),
    "network_error": N_("The server could not be reached"),
    "enrolled": N_("This phone is now a scanner for"),
    "enrol_failed": N_("This enrolment code was already used or has expired. Ask for a new one."),
    "not_enrolled": N_("This phone is not a scanner yet. Ask an organizer to show you the enrolment QR code."),
    "token_refused": N_("This scanner was revoked. Ask an organizer to enrol the phone again."),
    "camera_unavailable": N_("The camera cannot be used here: type the code instead."),
}


class ScannerPageController(Controller):
    include_in_schema = False

    @get("/scanner")
    async def scanner(self, request: Request[Any, Any, Any]) -> Template:
        translator = translator_for(request)
        results = {
            result.value: {"text": translator.gettext(text), "colour": colour}
            for result, (text, colour) in RESULT_MESSAGES.items()
        }
        texts = {key: translator.gettext(text) for key, text in SCANNER_TEXTS.items()}
        manual_code = {"alphabet": services.MANUAL_CODE_ALPHABET, "length": services.MANUAL_CODE_LENGTH}
        return page(request, "tickets/scanner.html", results=results, texts=texts, manual_code=manual_code)

    @get("/scanner-sw.js", media_type="text/javascript")
    async def service_worker(self) -> File:
        # Served from the top level, not /static/, so that it may control /scanner.
        return File(STATIC_DIR / "js" / "scanner-sw.js", content_disposition_type="inline")


class GatePagesController(Controller):
    path = "/organize/exhibitions/{slug:str}"
    guards = [requires_staff]
    include_in_schema = False

    async def _gates_page(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        offer: services.EnrolmentOffer | None = None,
        status_code: int = 200,
    ) -> Template:
        actor = current_actor(request)
        exhibition = await event_services.get_exhibition_detail(slug=slug, actor=actor)
        now = utcnow()
        enrolment = None
        if offer is not None:
            url = f"{settings_of(request).base_url}/scanner#enrol={offer.secret}"
            expires_local = offer.expires_at.astimezone(ZoneInfo(exhibition.row["time_zone"])).time()
            enrolment = {
                "offer": offer,
                "url": url,
                "qr": qr_svg(url, title=offer.name),
                "expires_local": expires_local,
            }
        return page(
            request,
            "tickets/gates.html",
            status_code=status_code,
            exhibition=exhibition,
            live=await services.live_counts(slug=slug, actor=actor, now=now),
            devices=await services.list_devices(slug=slug, actor=actor),
            values=values or {"kind": "gate", "policy": "once_per_day"},
            errors=errors or {},
            enrolment=enrolment,
            slug=slug,
            kinds=[kind.value for kind in CheckpointKind],
            policies=[policy.value for policy in CheckpointPolicy],
        )

    @get("/gates")
    async def gates(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        return await self._gates_page(request, slug)

    @get("/gates/live")
    async def live(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
        counts = await services.live_counts(slug=slug, actor=current_actor(request), now=utcnow())
        return page(request, "tickets/live_counts.html", live=counts, slug=slug)

    @post("/checkpoints")
    async def create_checkpoint(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template | Redirect:
        parsed, errors = parse_form(CheckpointIn, data)
        if parsed is not None:
            try:
                await services.create_checkpoint(
                    slug=slug, name=parsed.name, kind=parsed.kind, policy=parsed.policy, capacity=parsed.capacity,
                    actor=current_actor(request),
                )  # fmt: skip
                return Redirect(path=f"/organize/exhibitions/{slug}/gates")
            except InvalidInput as exc:
                errors = exc.errors
        return await self._gates_page(
            request, slug, values=data, errors=errors_by_field(errors, translator_for(request)), status_code=422
        )

    @post("/devices/enrol")
    async def offer_enrolment(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: Annotated[dict[str, str], FORM]
    ) -> Template:
        try:
            offer = await services.offer_device_enrolment(
                slug=slug, name=data.get("device_name", ""), actor=current_actor(request), now=utcnow()
            )
        except InvalidInput as exc:
            errors = [FieldError("device_name", error.code, error.reason) for error in exc.errors]
            return await self._gates_page(
                request,
                slug,
                errors=errors_by_field(errors, translator_for(request)),
                values={"device_name": data.get("device_name", "")},
                status_code=422,
            )
        return await self._gates_page(request, slug, offer=offer)

    @post("/devices/{device_id:int}/revoke")
    async def revoke_device(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        device_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Redirect:
        await services.revoke_device(slug=slug, device_id=device_id, actor=current_actor(request), now=utcnow())
        return Redirect(path=f"/organize/exhibitions/{slug}/gates")
