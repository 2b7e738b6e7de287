"""Who may use each exhibitor route, tried route by route.

Every route of the organizations and applications API and of the exhibitor and organizer
pages is called by five people: nobody signed in, a stranger exhibitor (who has an
organization of their own), a member of the applying organization, an organizer of another
exhibition, and this exhibition's organizer. A stranger never learns another
organization's drafts, contacts or applications (404, or 403 where the route names no
object of theirs), and a refused call changes nothing. Add a route to ROUTES to cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from litestar import Litestar

from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.accounts.guards import SESSION_COOKIE
from exhibitions.accounts.tables import RoleName, TokenKind
from exhibitions.clock import utcnow
from exhibitions.errors import NotFound, PermissionDenied
from exhibitions.exhibitors import services
from exhibitions.exhibitors.schemas import OrganizationUpdate
from exhibitions.exhibitors.tables import Application, ApplicationEvent, Organization
from exhibitions.exhibitors.workflow import ApplicationStatus
from tests.conftest import NOW
from tests.exhibitors.test_api import COOPERATIVE
from tests.exhibitors.test_organize_pages import another_exhibition
from tests.exhibitors.test_portal import draft_of, exhibitor_actor, organization_of
from tests.factories import csrf_token

PARTIES = ("anonymous", "stranger", "member", "other_organizer", "organizer")
ORG_FORM = {key: str(value) for key, value in COOPERATIVE.items()}
LOGIN = "login"  # a page answers nobody signed in with a redirect to the login page


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {slug}, {org} (has the draft), {org_free} (no application yet), {draft}, {submitted}
    expected: dict[str, int | str]  # party -> status code, or LOGIN
    json: dict[str, Any] | None = None
    form: dict[str, Any] = field(default_factory=dict)
    # A multipart upload: field name -> (file name, content).
    files: dict[str, tuple[str, bytes]] | None = None
    # A list route answers a stranger 200 but must not show the protected object.
    hides: str | None = None

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _api(ok: int, *, stranger: int = 404, other: int = 404, organizer: int | None = None) -> dict[str, int | str]:
    return {"anonymous": 401, "stranger": stranger, "member": ok, "other_organizer": other,
            "organizer": ok if organizer is None else organizer}  # fmt: skip


def _page(ok: int, *, stranger: int = 404, other: int = 404, organizer: int | None = None) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "stranger": stranger, "member": ok, "other_organizer": other,
            "organizer": ok if organizer is None else organizer}  # fmt: skip


def _staff(ok: int, *, other: int = 403) -> dict[str, int | str]:
    """The organizers' pages: exhibitors are not let in; to an organizer of another exhibition
    the table is forbidden and an application in it does not exist."""
    return {"anonymous": LOGIN, "stranger": 403, "member": 403, "other_organizer": other, "organizer": ok}


def _organizers(ok: int, *, other: int = 403) -> dict[str, int | str]:
    """The registry's bulk routes over the API: the organizers of every exhibition keep the
    registry; an organizer of another exhibition is refused."""
    return {"anonymous": 401, "stranger": 403, "member": 403, "other_organizer": other, "organizer": ok}


SMALL_CSV = b"legal_form,name_latin,registry_number,region,city,sector\ncooperative,Coop Test,T-1,MA-01,Tanger,other\n"
APPS = "/api/v1/exhibitions/{slug}/applications"
TABLE = "/organize/exhibitions/{slug}/applications"
# Organizers of every exhibition keep the organization registry (exhibitors.permissions): they
# read and edit every organization. An organizer of another exhibition reads and edits only
# the organizations that applied to it, and only its applications.
ROUTES = [
    Route("GET", "/api/v1/organizations", _api(200, stranger=200, other=200), hides="Argan"),
    Route("POST", "/api/v1/organizations", _api(201, stranger=201, other=201),
          json={**COOPERATIVE, "registry_number": "NEW-1", "ice": None}),
    Route("GET", "/api/v1/organizations/{org}", _api(200)),
    Route("PATCH", "/api/v1/organizations/{org}", _api(200), json={"city": "Agadir"}),
    Route("GET", APPS, _api(200, stranger=200, other=200), hides='"organization":{org}'),
    Route("POST", APPS, _api(201, stranger=403, other=403), json={"organization": "{org_free}"}),
    Route("GET", APPS + "/{draft}", _api(200)),
    Route("PATCH", APPS + "/{draft}", _api(200, organizer=404), json={"stand_area_m2": 12}),
    Route("POST", APPS + "/{draft}/submit", _api(200, organizer=409)),
    Route("POST", APPS + "/{submitted}/withdraw", _api(200, organizer=409), json={"reason": "x"}),
    Route("POST", APPS + "/{submitted}/decision", _api(409, organizer=200), json={"status": "approved"}),
    Route("GET", "/portal/", _page(200, stranger=200, other=200), hides="Argan"),
    Route("GET", "/portal/organizations/new", _page(200, stranger=200, other=200)),
    Route("POST", "/portal/organizations/new", _page(302, stranger=302, other=302),
          form={**ORG_FORM, "registry_number": "NEW-2", "ice": ""}),
    Route("GET", "/portal/organizations/{org}", _page(200)),
    Route("POST", "/portal/organizations/{org}", _page(302), form={**ORG_FORM, "city": "Agadir"}),
    Route("GET", "/portal/exhibitions/{slug}/apply", _page(200, stranger=200, other=200), hides="Argan"),
    Route("POST", "/portal/exhibitions/{slug}/apply", _page(302, stranger=403, other=403),
          form={"organization": "{org_free}", "stand_type": "standard", "stand_area_m2": "9"}),
    Route("GET", "/portal/applications/{draft}", _page(200, organizer=404)),
    Route("GET", "/portal/applications/{draft}/edit", _page(200, organizer=404)),
    Route("POST", "/portal/applications/{draft}/edit", _page(302, organizer=404),
          form={"stand_type": "island", "stand_area_m2": "16"}),
    Route("POST", "/portal/applications/{draft}/submit", _page(302, organizer=404)),
    Route("GET", "/portal/applications/{submitted}/withdraw", _page(200, organizer=404)),
    Route("POST", "/portal/applications/{submitted}/withdraw", _page(302, organizer=404), form={"reason": "x"}),
    Route("GET", "/api/v1/organizations/export?format=csv", _organizers(200)),
    Route("POST", "/api/v1/organizations/import?dry_run=true", _organizers(200), files={"file": ("a.csv", SMALL_CSV)}),
    Route("GET", APPS + "/export?format=xlsx", _organizers(200, other=403)),
    Route("GET", TABLE, _staff(200), hides="Argan"),
    Route("GET", TABLE + ".csv", _staff(200)),
    Route("GET", TABLE + ".xlsx", _staff(200)),
    Route("POST", TABLE + "/decisions", _staff(200),
          form={"application": "{submitted}", "decision": "approved", "reason": "ok"}),
    Route("GET", TABLE + "/{submitted}", _staff(200, other=404)),
    Route("POST", TABLE + "/{submitted}/decision", _staff(302, other=404), form={"status": "approved", "reason": "ok"}),
]  # fmt: skip


@dataclass
class World:
    values: dict[str, str]
    headers: dict[str, dict[str, str]]
    sessions: dict[str, str]


async def _credentials(user_id: int) -> tuple[dict[str, str], str]:
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    _, session = await account_services.issue_token(user_id=user_id, kind=TokenKind.session, now=NOW)
    return {"Authorization": f"Bearer {token}"}, session


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 still, at its lowest cost: this file creates four accounts for each of ~140 cases,
    and no one logs in with a password here."""
    monkeypatch.setattr(account_services, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def world(organizer: dict[str, Any], exhibition: int) -> World:
    member = await exhibitor_actor("fatima@argan-khair.ma")
    drafted = await organization_of(member)
    free = await organization_of(member, registry_number="FREE-1", ice=None, name_latin="Coop Libre", name_ar=None)
    waiting = await organization_of(member, registry_number="SUB-1", ice=None, name_latin="Coop Soumise", name_ar=None)
    draft = await draft_of(member, drafted["id"])
    submitted = await draft_of(member, waiting["id"])
    await services.move_application(
        application_id=submitted["id"], to=ApplicationStatus.submitted, actor=member, now=utcnow()
    )
    stranger = await exhibitor_actor("stranger@example.ma")
    await organization_of(stranger, registry_number="STR-1", ice=None, name_latin="Stranger Coop", name_ar=None)
    other_exhibition = await another_exhibition(organizer)
    other = await exhibitor_actor("other-organizer@example.ma")
    await account_services.grant_role(
        user_id=other.user_id, role=RoleName.organizer, now=NOW, exhibition_id=other_exhibition
    )
    headers, sessions = {"anonymous": {}}, {}
    for party, user_id in (("stranger", stranger.user_id), ("member", member.user_id),
                           ("other_organizer", other.user_id), ("organizer", organizer["id"])):  # fmt: skip
        headers[party], sessions[party] = await _credentials(user_id)
    values = {"slug": "sess-2027", "org": str(drafted["id"]), "org_free": str(free["id"]),
              "draft": str(draft["id"]), "submitted": str(submitted["id"])}  # fmt: skip
    return World(values=values, headers=headers, sessions=sessions)


async def _snapshot() -> Any:
    """What a refused call must leave as it was."""
    organizations = await Organization.select().order_by(Organization.id)
    applications = await Application.select().order_by(Application.id)
    return organizations, applications, await ApplicationEvent.count()


def _filled(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        text = value.format(**values)
        # A whole placeholder for an id in a JSON body is a number.
        return int(text) if value.startswith("{") and text.isdigit() else text
    return value


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
async def test_route_access(client: httpx.AsyncClient, world: World, route: Route, party: str) -> None:
    values = world.values
    path = route.path.format(**values)
    before = await _snapshot()
    if route.is_api:
        body = {key: _filled(value, values) for key, value in (route.json or {}).items()}
        if route.files is not None:
            response = await client.request(route.method, path, files=route.files, headers=world.headers[party])
        else:
            response = await client.request(
                route.method, path, json=body if route.json is not None else None, headers=world.headers[party]
            )
    else:
        if party in world.sessions:
            client.cookies.set(SESSION_COOKIE, world.sessions[party])
        form = await client.get("/signup")  # any page with a form: the CSRF cookie and token
        data = {key: str(_filled(value, values)) for key, value in route.form.items()}
        if route.method == "POST":
            data["_csrf_token"] = csrf_token(form.text)
            response = await client.post(path, data=data)
        else:
            response = await client.get(path)
    expected = route.expected[party]
    if expected == LOGIN:
        assert response.status_code == 302, response.text
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == expected, response.text[:2000]
    if route.hides is not None and response.status_code == 200 and party in ("anonymous", "stranger"):
        assert route.hides.format(**values) not in response.text.replace(" ", "")
    if expected in (LOGIN, 401, 403, 404, 409):
        assert await _snapshot() == before, "a refused call changed something"


def test_every_exhibitor_route_is_in_the_table(app: Litestar) -> None:
    """A new route under these paths must be added to ROUTES."""
    prefixes = ("/api/v1/organizations", "/portal", "/organize/exhibitions/{slug:str}/applications")
    application_routes = ("/api/v1/exhibitions/{slug:str}/applications",)
    served = set()
    for route in app.routes:
        if route.path.startswith(prefixes) or route.path.startswith(application_routes):
            for method in route.methods - {"HEAD", "OPTIONS"}:  # type: ignore[attr-defined]
                served.add((method, _plain(route.path)))
    covered = {(route.method, _plain(route.path)) for route in ROUTES}
    # /portal/organizations/{id}/products belongs to the directory lane and is tested there;
    # /portal/applications/{id}/badges to the badges (tests/badges/test_pages.py).
    missing = {item for item in served - covered if "/products" not in item[1] and "/badges" not in item[1]}
    assert missing == set()


def _plain(path: str) -> str:
    """Paths with every parameter as {}: /portal/applications/{application_id:int} -> /portal/applications/{}."""
    path = path.split("?")[0]
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/") or "/")


async def test_an_exhibitions_organizers_see_and_edit_the_organizations_that_applied_to_it(
    exhibition: int, organizer: dict[str, Any]
) -> None:
    member = await exhibitor_actor("fatima@argan-khair.ma")
    applied = await organization_of(member)
    drafted = await organization_of(member, registry_number="DRAFT-1", ice=None, name_latin="Coop Brouillon")
    apart = await organization_of(member, registry_number="APART-1", ice=None, name_latin="Coop Ailleurs")
    sent = await draft_of(member, applied["id"])
    await services.move_application(
        application_id=sent["id"], to=ApplicationStatus.submitted, actor=member, now=utcnow()
    )
    await draft_of(member, drafted["id"])  # a draft is the exhibitor's own
    local = await exhibitor_actor("equipe@sess-2027.ma")
    await account_services.grant_role(user_id=local.user_id, role=RoleName.organizer, now=NOW, exhibition_id=exhibition)
    local = Actor(user_id=local.user_id, email=local.email, roles=frozenset({(exhibition, RoleName.organizer.value)}))
    assert (await services.get_organization(organization_id=applied["id"], actor=local))["id"] == applied["id"]
    changed = await services.update_organization(
        organization_id=applied["id"], changes=OrganizationUpdate(city="Agadir"), actor=local, now=NOW
    )
    assert changed["city"] == "Agadir"
    for hidden in (drafted, apart):
        with pytest.raises(NotFound):
            await services.get_organization(organization_id=hidden["id"], actor=local)
    rows, total = await services.list_organizations(actor=local, search=None, page=1, per_page=50)
    assert ([row["id"] for row in rows], total) == ([applied["id"]], 1)
    with pytest.raises(PermissionDenied):
        await services.export_organizations(actor=local, fmt=services.ExportFormat.csv)
