"""Visitor tickets over the API: free registration, and reading a ticket by its link token."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from exhibitions.accounts.guards import (
    BEARER_SECURITY,
    MAX_ID,
    MAX_PAGE,
    RECHECKS_DEVICE_TOKEN,
    current_actor,
    requires_login,
)
from exhibitions.clock import utcnow
from exhibitions.tickets import services
from exhibitions.tickets.schemas import (
    BundleCheckpoint,
    BundleDay,
    BundleKey,
    CheckInBatchIn,
    CheckInBatchOut,
    CheckInIn,
    CheckInOut,
    CheckpointIn,
    CheckpointOut,
    DeviceCreated,
    DeviceIn,
    DeviceOut,
    EnrolledDeviceOut,
    EnrolmentIn,
    EnrolmentOfferIn,
    EnrolmentOfferOut,
    GroupOut,
    GroupRegistrationIn,
    Language,
    LiveCheckpointOut,
    LiveCountsOut,
    OfflineResult,
    QuarterHourOut,
    RegistrationIn,
    RevokedOut,
    ScannerBundleOut,
    TicketOut,
    VisitorOut,
    VisitorPage,
)
from exhibitions.tickets.tables import TicketStatus, VisitorCategory
from exhibitions.web.downloads import private_attachment


def ticket_out(request: Request[Any, Any, Any], view: services.TicketView) -> TicketOut:
    row = view.row
    return TicketOut(
        exhibition=view.exhibition_slug,
        holder_name=row["holder_name"],
        category=VisitorCategory(row["category"]),
        language=row["language"],
        home_region=row["home_region"],
        country=row["country"],
        first_day=row["first_day"],
        last_day=view.last_day,
        status=TicketStatus(row["status"]),
        manual_code=row["manual_code"],
        code=view.code,
        url=f"{request.app.state.settings.base_url}/tickets/{row['access_token']}",
    )


class TicketApiController(Controller):
    tags = ["tickets"]

    @post(
        "/api/v1/exhibitions/{slug:str}/tickets",
        summary="Register a visitor (free)",
        description="201 with a new ticket; 200 with the existing one when this e-mail already registered.",
    )
    async def register(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[RegistrationIn]
    ) -> Response[TicketOut]:
        settings = request.app.state.settings
        view, created = await services.register_visitor(
            slug=slug, data=data, secret_key=settings.secret_key, now=utcnow()
        )
        return Response(ticket_out(request, view), status_code=201 if created else 200)

    @get(
        "/api/v1/exhibitions/{slug:str}/tickets",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Visitors of an exhibition, newest first (organizers)",
        description="`q` searches names, e-mails and phones, and matches a manual code exactly.",
    )
    async def list_tickets(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Page number, from 1")] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=200, description="Items per page")] = 50,
        q: Annotated[str | None, QueryParameter(max_length=100, description="Search")] = None,
    ) -> VisitorPage:
        rows, total = await services.list_visitors(
            slug=slug, actor=current_actor(request), search=q, page=page, per_page=per_page
        )
        items = [VisitorOut(**{key: value for key, value in row.items() if key != "access_token"}) for row in rows]
        return VisitorPage(items=items, total=total, page=page, per_page=per_page)

    @post(
        "/api/v1/exhibitions/{slug:str}/tickets/{ticket_id:int}/replace",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Replace a ticket: the old one is revoked, a new one is issued to the same holder",
        description="409 when the ticket is already cancelled or replaced.",
    )
    async def replace(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        ticket_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> Response[TicketOut]:
        view = await services.replace_ticket(
            slug=slug, ticket_id=ticket_id, actor=current_actor(request),
            secret_key=request.app.state.settings.secret_key, now=utcnow(),
        )  # fmt: skip
        return Response(ticket_out(request, view), status_code=201)

    @get("/api/v1/tickets/{access_token:str}", summary="A ticket, by the token in its link")
    async def get_ticket(self, request: Request[Any, Any, Any], access_token: FromPath[str]) -> TicketOut:
        view = await services.get_ticket(access_token=access_token, secret_key=request.app.state.settings.secret_key)
        return ticket_out(request, view)

    @post(
        "/api/v1/exhibitions/{slug:str}/groups",
        summary="Register a group (free): a leader and the people they bring",
        description="201 with every ticket; 200 with the group registered first when the leader's e-mail "
        f"already registered one. At most {services.MAX_GROUP_MEMBERS} members; a bad member is named by its "
        "index (`members[3].name`) and nothing is written.",
    )
    async def register_group(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[GroupRegistrationIn]
    ) -> Response[GroupOut]:
        settings = request.app.state.settings
        group, created = await services.register_group(
            slug=slug, leader=data.leader, members=data.members, secret_key=settings.secret_key, now=utcnow()
        )
        body = GroupOut(
            leader=ticket_out(request, group.leader),
            members=[ticket_out(request, member) for member in group.members],
            pdf_url=f"{settings.base_url}/api/v1/tickets/{group.leader.row['access_token']}/pdf",
        )
        return Response(body, status_code=201 if created else 200)

    @get(
        "/api/v1/tickets/{access_token:str}/pdf",
        summary="A ticket as a PDF; a group leader's holds every member's ticket too",
        description="One A4 page per ticket, in the holder's language unless `language` is given.",
        media_type="application/pdf",
    )
    async def get_pdf(
        self,
        request: Request[Any, Any, Any],
        access_token: FromPath[str],
        language: FromQuery[Language | None] = None,
    ) -> Response[bytes]:
        pdf = await services.ticket_pdf(
            access_token=access_token, secret_key=request.app.state.settings.secret_key, language=language
        )
        return private_attachment(pdf.content, filename=pdf.filename, media_type="application/pdf")


def checkpoint_out(row: dict[str, Any]) -> CheckpointOut:
    return CheckpointOut(
        id=row["id"], name=row["name"], kind=row["kind"], policy=row["policy"], capacity=row["capacity"],
        inside=row["inside"],
    )  # fmt: skip


class CheckInApiController(Controller):
    tags = ["check-in"]

    @post(
        "/api/v1/exhibitions/{slug:str}/checkpoints",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Create a checkpoint (gate, hall or seminar room)",
    )
    async def create_checkpoint(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[CheckpointIn]
    ) -> Response[CheckpointOut]:
        row = await services.create_checkpoint(
            slug=slug, name=data.name, kind=data.kind, policy=data.policy, capacity=data.capacity,
            actor=current_actor(request),
        )  # fmt: skip
        return Response(checkpoint_out(row), status_code=201)

    @get(
        "/api/v1/exhibitions/{slug:str}/checkpoints",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Checkpoints, with how many people are inside each",
    )
    async def list_checkpoints(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[CheckpointOut]:
        return [checkpoint_out(row) for row in await services.list_checkpoints(slug=slug, actor=current_actor(request))]

    @post(
        "/api/v1/checkins",
        security=BEARER_SECURITY,
        status_code=200,
        summary="Scan a ticket at a checkpoint (scanner devices)",
        opt={RECHECKS_DEVICE_TOKEN: True},  # which also requires a login (no guard: see guards.py)
        description="Every well-formed scan answers 200 with a `result`; retries with the same `nonce` count once.",
    )
    async def check_in(self, request: Request[Any, Any, Any], data: JSONBody[CheckInIn]) -> CheckInOut:
        actor = current_actor(request)
        assert actor is not None
        outcome = await services.check_in(
            device=actor, code=data.code, checkpoint_id=data.checkpoint, direction=data.direction,
            scanned_at=data.scanned_at, nonce=data.nonce, now=utcnow(),
        )  # fmt: skip
        return CheckInOut(
            result=outcome.result, holder_name=outcome.holder_name, category=outcome.category,
            admitted_at=outcome.admitted_at, admitted_by=outcome.admitted_by, inside=outcome.inside,
        )  # fmt: skip


class ScannerApiController(Controller):
    tags = ["check-in"]

    @get(
        "/api/v1/exhibitions/{slug:str}/scanner-bundle",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Keys, revoked tickets, checkpoints and hours, for gates that must decide offline",
    )
    async def bundle(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> ScannerBundleOut:
        bundle = await services.scanner_bundle(
            slug=slug, actor=current_actor(request), secret_key=request.app.state.settings.secret_key, now=utcnow()
        )
        exhibition = bundle.exhibition
        return ScannerBundleOut(
            exhibition=exhibition["slug"],
            exhibition_id=exhibition["id"],
            time_zone=exhibition["time_zone"],
            days=[
                BundleDay(
                    day=day.day,
                    opens_at=day.opens_at.strftime("%H:%M") if day.opens_at else None,
                    closes_at=day.closes_at.strftime("%H:%M") if day.closes_at else None,
                )
                for day in bundle.days
            ],
            keys=[
                BundleKey(exhibition_id=exhibition["id"], key_id=key["key_id"], public_key=key["public_key"])
                for key in bundle.keys
            ],
            revoked=bundle.revoked,
            checkpoints=[BundleCheckpoint(**checkpoint) for checkpoint in bundle.checkpoints],
        )

    @post(
        "/api/v1/checkins/batch",
        guards=[requires_login],
        security=BEARER_SECURITY,
        status_code=200,
        # A day of a busy gate offline: 20,000 scans of about 200 bytes.
        request_max_body_size=5_000_000,
        summary="Upload scans made offline; they are applied in scanned_at order",
    )
    async def batch(self, request: Request[Any, Any, Any], data: JSONBody[CheckInBatchIn]) -> CheckInBatchOut:
        actor = current_actor(request)
        assert actor is not None
        applied = await services.apply_offline_scans(
            device=actor,
            scans=[
                services.OfflineScan(scan.code, scan.checkpoint, scan.direction, scan.scanned_at, scan.nonce)
                for scan in data.scans
            ],
            now=utcnow(),
        )
        return CheckInBatchOut(
            results=[
                OfflineResult(
                    nonce=scan.nonce,
                    scanned_at=scan.scanned_at,
                    result=outcome.result,
                    duplicate=duplicate,
                    holder_name=outcome.holder_name,
                )
                for scan, outcome, duplicate in applied
            ]
        )

    @post(
        "/api/v1/exhibitions/{slug:str}/tickets/{ticket_id:int}/revoke",
        guards=[requires_login],
        security=BEARER_SECURITY,
        status_code=200,
        summary="Cancel a ticket: later scans answer revoked",
    )
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        ticket_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> RevokedOut:
        await services.revoke_ticket(slug=slug, ticket_id=ticket_id, actor=current_actor(request), now=utcnow())
        return RevokedOut(id=ticket_id, status=TicketStatus.revoked)


def enrol_url(request: Request[Any, Any, Any], secret: str) -> str:
    # In the fragment: browsers never send it to a server or put it in a log.
    return f"{request.app.state.settings.base_url}/scanner#enrol={secret}"


class DeviceApiController(Controller):
    tags = ["check-in"]

    @post(
        "/api/v1/exhibitions/{slug:str}/device-enrolments",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Offer a one-time enrolment code (shown as a QR code) that turns a phone into a scanner",
    )
    async def offer(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[EnrolmentOfferIn]
    ) -> Response[EnrolmentOfferOut]:
        offer = await services.offer_device_enrolment(
            slug=slug, name=data.name, actor=current_actor(request), now=utcnow()
        )
        return Response(
            EnrolmentOfferOut(
                id=offer.id,
                name=offer.name,
                enrol_url=enrol_url(request, offer.secret),
                secret=offer.secret,
                expires_at=offer.expires_at,
            ),
            status_code=201,
        )

    @post(
        "/api/v1/devices/enrol",
        status_code=201,
        summary="Exchange an enrolment code for a device token (once)",
        description="409 when the code was already used or has expired.",
    )
    async def enrol(self, data: JSONBody[EnrolmentIn]) -> EnrolledDeviceOut:
        device = await services.complete_device_enrolment(secret=data.secret, now=utcnow())
        return EnrolledDeviceOut(id=device.id, name=device.name, exhibition=device.exhibition_slug, token=device.token)

    @post(
        "/api/v1/exhibitions/{slug:str}/devices",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Enrol a scanner device",
    )
    async def create_device(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[DeviceIn]
    ) -> Response[DeviceCreated]:
        token_id, secret = await services.create_device(
            slug=slug, name=data.name, actor=current_actor(request), now=utcnow()
        )
        return Response(DeviceCreated(id=token_id, name=data.name, token=secret), status_code=201)

    @get(
        "/api/v1/exhibitions/{slug:str}/devices",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Scanner devices, with their scan count",
    )
    async def list_devices(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[DeviceOut]:
        rows = await services.list_devices(slug=slug, actor=current_actor(request))
        return [DeviceOut(**row) for row in rows]

    @post(
        "/api/v1/exhibitions/{slug:str}/devices/{device_id:int}/revoke",
        guards=[requires_login],
        security=BEARER_SECURITY,
        status_code=204,
        summary="Revoke a scanner device: its token stops working at once",
    )
    async def revoke_device(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        device_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> None:
        await services.revoke_device(slug=slug, device_id=device_id, actor=current_actor(request), now=utcnow())

    @get(
        "/api/v1/exhibitions/{slug:str}/live",
        guards=[requires_login],
        security=BEARER_SECURITY,
        summary="Admitted today, inside now per checkpoint, scans per quarter hour",
    )
    async def live(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> LiveCountsOut:
        counts = await services.live_counts(slug=slug, actor=current_actor(request), now=utcnow())
        return live_counts_out(counts)


def live_counts_out(counts: services.LiveCounts) -> LiveCountsOut:
    return LiveCountsOut(
        day=counts.day,
        admitted_today=counts.admitted_today,
        inside_now=counts.inside_now,
        checkpoints=[
            LiveCheckpointOut(
                id=row["id"],
                name=row["name"],
                kind=row["kind"],
                capacity=row["capacity"],
                inside=row["inside"],
                admitted_today=row["admitted_today"],
            )
            for row in counts.checkpoints
        ],
        quarters=[QuarterHourOut(q.starts_at, q.admitted, q.refused) for q in counts.quarters],
    )
