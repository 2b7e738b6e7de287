"""Badges over the API, for an exhibition's organizers: holders, batches and their files,
exhibitors' quotas. Every refusal is an RFC 9457 problem document naming the field."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, PathParameter, QueryParameter
from msgspec import Struct

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, MAX_PAGE, current_actor, requires_login
from exhibitions.badges import services
from exhibitions.badges.schemas import (
    BatchIn,
    BatchOut,
    HolderIn,
    HolderOut,
    HolderPageOut,
    QuotaIn,
    Role,
    Size,
)
from exhibitions.clock import utcnow
from exhibitions.errors import InvalidInput
from exhibitions.exhibitors.import_api import UPLOAD_BODY_BYTES, read_upload
from exhibitions.web.context import settings_of
from exhibitions.web.downloads import private_attachment

EXHIBITION = "/api/v1/exhibitions/{slug:str}/badges"


class ImportIn(Struct):
    file: UploadFile | None = None
    role: str = ""
    language: str = ""


class ImportOut(Struct):
    rows: int
    added: int
    already: int  # imported before, or twice in the file


ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def holder_out(row: dict[str, Any], base_url: str) -> HolderOut:
    return HolderOut(
        id=row["id"], role=row["role"], full_name=row["full_name"], title=row["title"],
        organization_id=row["organization"], organization=services.printed_organization(row),
        stand_code=(row.get("stand_code") or "") if row["role"] == "exhibitor_staff" else "",
        email=row["email"], language=row["language"], lead_url=services.lead_url(base_url, row["lead_id"]),
        created_at=row["created_at"], batches=int(row.get("batches") or 0),
    )  # fmt: skip


def batch_out(row: dict[str, Any], slug: str) -> BatchOut:
    criteria = json.loads(row["criteria"])
    return BatchOut(
        id=row["id"], status=row["status"], size=row["size"], role=criteria.get("role"),
        organization_id=criteria.get("organization_id"), new_only=bool(criteria.get("new_only")),
        total=row["total"], done=row["done"], attempts=row["attempts"], error=row["error"],
        page_count=row["page_count"], created_at=row["created_at"], finished_at=row["finished_at"],
        download_url=f"{EXHIBITION.replace('{slug:str}', slug)}/batches/{row['id']}/file"
        if row["status"] == "done" else None,
    )  # fmt: skip


class BadgeApiController(Controller):
    path = EXHIBITION
    tags = ["badges"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get("/holders", summary="The badge holders, by role, organization and name (organizers)")
    async def list_holders(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        role: Annotated[Role | None, QueryParameter(description="Only this role")] = None,
        organization_id: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="Only this one")] = None,
        q: Annotated[str | None, QueryParameter(max_length=100, description="Part of a name")] = None,
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Page number, from 1")] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=200, description="Items per page")] = 50,
    ) -> HolderPageOut:
        found = await services.list_holders(
            slug=slug, actor=current_actor(request), role=role, organization_id=organization_id, search=q,
            page=page, per_page=per_page,
        )  # fmt: skip
        base_url = settings_of(request).base_url
        return HolderPageOut(
            items=[holder_out(row, base_url) for row in found.rows], total=found.total, page=found.page,
            per_page=found.per_page,
        )  # fmt: skip

    @post(
        "/holders",
        summary="Add a badge (organizers)",
        description="An exhibitor_staff badge names its organization_id and takes a place of that exhibitor's "
        "quota: past it the answer is 409 with the field error code quota_full.",
    )
    async def add_holder(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[HolderIn]
    ) -> Response[HolderOut]:
        actor = current_actor(request)
        row = await services.add_holder(slug=slug, data=data, actor=actor, now=utcnow())
        full = await services.get_holder(slug=slug, holder_id=row["id"], actor=actor)
        return Response(holder_out(full, settings_of(request).base_url), status_code=201)

    @post(
        "/holders/import",
        status_code=200,
        request_max_body_size=UPLOAD_BODY_BYTES,
        summary="Import badges (press, vip, staff, organizer) from a CSV or XLSX file (organizers)",
        description="Multipart: file, and optionally role (for rows without one) and language. The file is "
        "checked whole: one bad row and nothing is imported; the 422 problem document names each bad cell as "
        "rows[N].field, N as the spreadsheet numbers the row. The same person in the same role is imported once.",
    )
    async def import_holders(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        data: Annotated[ImportIn, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportOut:
        report = await services.import_holders(
            slug=slug, data=await read_upload(data.file), actor=current_actor(request), now=utcnow(),
            default_role=data.role or None, default_language=data.language or "fr",
        )  # fmt: skip
        if report.errors:
            raise InvalidInput(services.field_errors(report))
        return ImportOut(rows=report.rows, added=report.added, already=report.already)

    @get("/holders/{holder_id:int}", summary="One badge holder (organizers)")
    async def get_holder(self, request: Request[Any, Any, Any], slug: FromPath[str], holder_id: ObjectId) -> HolderOut:
        row = await services.get_holder(slug=slug, holder_id=holder_id, actor=current_actor(request))
        return holder_out(row, settings_of(request).base_url)

    @delete("/holders/{holder_id:int}", summary="Remove a badge; a staff badge frees its quota place (organizers)")
    async def delete_holder(self, request: Request[Any, Any, Any], slug: FromPath[str], holder_id: ObjectId) -> None:
        await services.delete_holder(slug=slug, holder_id=holder_id, actor=current_actor(request))

    @get("/holders/{holder_id:int}/badge.pdf", summary="One badge as a PDF, the page the badge's size")
    async def holder_pdf(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        holder_id: ObjectId,
        size: Annotated[Size, QueryParameter(description="a6 or label")] = "a6",
    ) -> Response[bytes]:
        pdf = await services.single_badge_pdf(
            slug=slug, holder_id=holder_id, actor=current_actor(request), base_url=settings_of(request).base_url,
            size=size,
        )  # fmt: skip
        return private_attachment(pdf, filename=f"badge-{holder_id}.pdf", media_type="application/pdf")

    @post("/sync", summary="Add badges for the programme's speakers and moderators, organizers and gate staff")
    async def sync(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> dict[str, int]:
        report = await services.sync_holders(slug=slug, actor=current_actor(request), now=utcnow())
        return report.added

    @get("/quotas", summary="Each exhibitor with a published stand: its staff badge quota and how many it holds")
    async def quotas(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[dict[str, Any]]:
        rows = await services.exhibitor_quotas(slug=slug, actor=current_actor(request))
        keys = ("organization_id", "name_ar", "name_latin", "code", "rule", "override", "quota", "used")
        return [{key: row[key] for key in keys} for row in rows]

    @put("/quotas/{organization_id:int}", summary="Set one exhibitor's staff badge quota; null: the stand-size rule")
    async def set_quota(
        self, request: Request[Any, Any, Any], slug: FromPath[str], organization_id: ObjectId, data: JSONBody[QuotaIn]
    ) -> dict[str, Any]:
        row = await services.set_staff_quota(
            slug=slug, organization_id=organization_id, quota=data.quota, actor=current_actor(request)
        )
        return {
            "organization_id": organization_id,
            "base": row["base"],
            "override": row["override"],
            "used": row["used"],
        }

    @get("/batches", summary="The badge batches, newest first (organizers)")
    async def list_batches(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[BatchOut]:
        return [batch_out(row, slug) for row in await services.list_batches(slug=slug, actor=current_actor(request))]

    @post(
        "/batches",
        summary="Queue a batch of badges: by role, organization, or only the new ones (organizers)",
        description="The scheduler renders it in the background (N-up A4 sheets with cut marks); poll "
        "GET …/batches/{id} for done/total, then download its file. No badge matching: 422 naming the field.",
    )
    async def create_batch(
        self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[BatchIn]
    ) -> Response[BatchOut]:
        row = await services.create_batch(slug=slug, data=data, actor=current_actor(request), now=utcnow())
        return Response(batch_out(row, slug), status_code=201)

    @get("/batches/{batch_id:int}", summary="A batch's status and progress (organizers)")
    async def get_batch(self, request: Request[Any, Any, Any], slug: FromPath[str], batch_id: ObjectId) -> BatchOut:
        return batch_out(await services.get_batch(slug=slug, batch_id=batch_id, actor=current_actor(request)), slug)

    @post("/batches/{batch_id:int}/retry", summary="Queue a failed batch again (organizers)", status_code=200)
    async def retry(self, request: Request[Any, Any, Any], slug: FromPath[str], batch_id: ObjectId) -> BatchOut:
        return batch_out(await services.retry_batch(slug=slug, batch_id=batch_id, actor=current_actor(request)), slug)

    @get("/batches/{batch_id:int}/file", summary="A finished batch's PDF; 409 before it is done")
    async def batch_file(
        self, request: Request[Any, Any, Any], slug: FromPath[str], batch_id: ObjectId
    ) -> Response[bytes]:
        path = await services.batch_file(
            slug=slug, batch_id=batch_id, actor=current_actor(request), data_dir=settings_of(request).data_dir
        )
        return private_attachment(
            path.read_bytes(), filename=f"badges-{slug}-{batch_id}.pdf", media_type="application/pdf"
        )
