"""The speaker workflow over the API, for an exhibition's organizers: invite the speakers,
re-issue a person's link, read everyone's answers."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, PathParameter

from exhibitions.accounts.guards import BEARER_SECURITY, MAX_ID, current_actor, requires_login
from exhibitions.clock import utcnow
from exhibitions.seminars.labels import in_language, person_name
from exhibitions.seminars.services import _speakers as services
from exhibitions.seminars.speaker_schemas import InvitationsOut, SpeakerLinkOut, SpeakerResponseOut
from exhibitions.web.context import settings_of

SPEAKERS = "/api/v1/exhibitions/{slug:str}/speakers"


class SpeakerApiController(Controller):
    tags = ["seminars"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @post(
        SPEAKERS + "/invitations", status_code=200, summary="E-mail every speaker their link and sessions (organizers)"
    )
    async def invite(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> InvitationsOut:
        """Queues the invitation to every person with an e-mail address and a session awaiting
        their answer, once per link: calling it again reaches only those added since."""
        settings = settings_of(request)
        queued = await services.invite_people(
            slug=slug, actor=current_actor(request), now=utcnow(), secret_key=settings.secret_key,
            base_url=settings.base_url,
        )  # fmt: skip
        return InvitationsOut(queued=queued)

    @post(
        SPEAKERS + "/{person_id:int}/link",
        status_code=200,
        summary="Revoke a person's link and issue a new one (organizers)",
    )
    async def reissue(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        person_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)],
    ) -> SpeakerLinkOut:
        settings = settings_of(request)
        token = await services.reissue_link(
            slug=slug, person_id=person_id, actor=current_actor(request), now=utcnow(), secret_key=settings.secret_key
        )
        return SpeakerLinkOut(person=person_id, url=f"{settings.base_url}/speakers/{token}")

    @get(SPEAKERS + "/responses", summary="Every speaker's answer for every session (organizers)")
    async def responses(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> list[SpeakerResponseOut]:
        actor = current_actor(request)
        rows = await services.list_responses(slug=slug, actor=actor)
        language = actor.preferred_language if actor else "fr"
        return [
            SpeakerResponseOut(
                session_person=row["session_person"], session=row["session"], person=row["person"],
                person_name=person_name(row["name_ar"], row["name_latin"], language),
                session_title=in_language(
                    {code: row[f"title_{code}"] for code in ("ar", "fr", "en")}, language
                ),
                starts_at=services.aware(row["starts_at"]), role=row["role"], response=row["response"],
                message=row["response_message"],
                responded_at=services.aware(row["responded_at"]) if row["responded_at"] else None,
            )
            for row in rows
        ]  # fmt: skip
