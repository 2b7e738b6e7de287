"""Demo data: the national exhibition, two regional itinerant markets and one organizer.
The national exhibition's approved exhibitors have published stands on a plan.

Dates are relative to today, so the demo always shows an upcoming season. Running it
twice changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import msgspec
from PIL import Image

from exhibitions.accounts import queries as account_queries
from exhibitions.accounts import services as account_services
from exhibitions.accounts.actor import Actor
from exhibitions.badges import services as badge_services
from exhibitions.badges.schemas import StaffBadgeIn
from exhibitions.demo_past import load_past_edition, mark_planned_dates
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionCreate, ExhibitionUpdate, HallIn, OpeningExceptionIn
from exhibitions.events.tables import ExhibitionKind, ExhibitionStatus
from exhibitions.exhibitors import services as exhibitor_services
from exhibitions.exhibitors.product_schemas import ProductCreate
from exhibitions.exhibitors.review import Dimension
from exhibitions.exhibitors.review_schemas import QuotaIn, ReviewSettingsIn
from exhibitions.exhibitors.schemas import ApplicationCreate, OrganizationCreate
from exhibitions.exhibitors.tables import Application, LegalForm, Organization, Sector
from exhibitions.exhibitors.workflow import ApplicationStatus
from exhibitions.seminars import services as seminar_services
from exhibitions.seminars.schemas import ParticipationIn, PersonIn, RoomIn, SessionIn, WindowIn
from exhibitions.seminars.tables import Role, SessionStatus, SessionType
from exhibitions.stands import services as stand_services
from exhibitions.stands.schemas import GridIn
from exhibitions.tickets import services as ticket_services
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy

DEMO_ORGANIZER_EMAIL = "organizer@example.ma"
DEMO_ORGANIZER_PASSWORD = "demo-organizer-password"  # noqa: S105 - printed for the demo
# Acts for every demo organization, so that the portal's products page can be tried.
DEMO_EXHIBITOR_EMAIL = "exposante@example.ma"
DEMO_EXHIBITOR_PASSWORD = "demo-exhibitor-password"  # noqa: S105 - printed for the demo

# Exhibitors approved at the national exhibition: several regions, sectors and forms,
# women-led ones among them, names in both scripts (one in Arabic only). Products get a
# plain coloured picture, drawn here, so the directory shows thumbnails.
_DEMO_ORGANIZATIONS: list[tuple[dict[str, Any], list[tuple[str, str, tuple[int, int, int] | None]]]] = [
    (
        {"legal_form": LegalForm.cooperative,
         "name_ar": "تعاونية أركان الخير", "name_latin": "Coopérative Argan Al Khair",
         "registry_number": "DEMO-1/2012", "region": "MA-09", "city": "Taroudant", "sector": Sector.argan,
         "founded_year": 2012, "members_total": 42, "members_women": 40, "members_youth": 15},
        [("Huile d'argan cosmétique", "Pressée à froid, certifiée bio.", (196, 142, 52)),
         ("أملو باللوز", "أملو تقليدي بزيت الأركان واللوز والعسل.", (150, 90, 40))],
    ),
    (
        {"legal_form": LegalForm.cooperative,
         "name_ar": "تعاونية الزعفران تالوين", "name_latin": "Coopérative Safran de Taliouine",
         "registry_number": "DEMO-2/2008", "region": "MA-09", "city": "Taliouine", "sector": Sector.agriculture,
         "founded_year": 2008, "members_total": 25, "members_women": 9, "members_youth": 6},
        [("Safran en filaments", "Safran de Taliouine, appellation d'origine protégée.", (170, 30, 40))],
    ),
    (
        {"legal_form": LegalForm.association,
         "name_ar": "جمعية نساء الأطلس للنسيج", "name_latin": "Association Femmes de l'Atlas",
         "registry_number": "DEMO-3/2015", "region": "MA-08", "city": "Ouarzazate", "sector": Sector.textile,
         "founded_year": 2015, "members_total": 18, "members_women": 18, "members_youth": 7},
        [("Tapis amazigh", "Tissé à la main, laine naturelle.", (120, 40, 60)),
         ("Coussins brodés", "", None)],
    ),
    (
        {"legal_form": LegalForm.cooperative,
         "name_ar": "تعاونية الصيد التقليدي المحيط", "name_latin": None,
         "registry_number": "DEMO-4/2010", "region": "MA-01", "city": "Larache", "sector": Sector.fishing,
         "founded_year": 2010, "members_total": 30, "members_women": 4, "members_youth": 10},
        [("سردين مصبر", "", (60, 110, 160))],
    ),
    (
        {"legal_form": LegalForm.mutual,
         "name_ar": "التعاضدية الفلاحية لسايس", "name_latin": "Mutuelle agricole du Saïss",
         "registry_number": "DEMO-5/2001", "region": "MA-03", "city": "Meknès", "sector": Sector.food_processing,
         "founded_year": 2001, "members_total": 120, "members_women": 35, "members_youth": 20},
        [("Huile d'olive extra vierge", "Première pression à froid.", (110, 130, 40))],
    ),
    (
        {"legal_form": LegalForm.cooperative,
         "name_ar": "تعاونية الفخار الأصيل", "name_latin": "Coopérative Poterie de Safi",
         "registry_number": "DEMO-6/2018", "region": "MA-07", "city": "Safi", "sector": Sector.handicrafts,
         "founded_year": 2018, "members_total": 12, "members_women": 3, "members_youth": 9, "declared_women_led": True},
        [("Tajine décoré", "Émaillé et peint à la main.", (40, 90, 140))],
    ),
    (
        {"legal_form": LegalForm.association,
         "name_ar": "جمعية الواحة للتنمية", "name_latin": "Association Oasis Développement",
         "registry_number": "DEMO-7/2016", "region": "MA-10", "city": "Guelmim", "sector": Sector.services,
         "founded_year": 2016, "members_total": 22, "members_women": 14, "members_youth": 16},
        [("Dattes Bouzekri", "", (100, 60, 30))],
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    organizer_email: str
    organizer_password: str
    created: list[str]
    slugs: list[str]
    # Last season's national exhibition, closed, with its attendance (demo_past.py).
    past_slug: str = ""


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def demo_exhibitions(today: date) -> list[ExhibitionCreate]:
    national_start = _next_weekday(today + timedelta(days=30), 4)  # opens on a Friday
    # Running now, so that registration, the scanner page and the live counts can be tried at once.
    oriental_start = today - timedelta(days=1)
    souss_start = today + timedelta(days=45)
    return [
        ExhibitionCreate(
            slug=f"sess-national-{national_start.year}",
            kind=ExhibitionKind.national,
            title_ar="المعرض الوطني للاقتصاد الاجتماعي والتضامني",
            title_fr="Salon national de l'économie sociale et solidaire",
            title_en="National Exhibition of the Social and Solidarity Economy",
            venue_name="Parc des expositions OLM Souissi",
            city="Rabat",
            venue_address="Avenue Mohammed VI, Souissi",
            starts_on=national_start,
            ends_on=national_start + timedelta(days=9),
            opens_at=time(10, 0),
            closes_at=time(21, 0),
            opening_exceptions=[
                OpeningExceptionIn(
                    day=national_start,
                    opens_at=time(15, 0),
                    closes_at=time(21, 0),
                    note="Inauguration officielle à 15h",
                ),
                OpeningExceptionIn(
                    day=national_start + timedelta(days=7),
                    opens_at=time(14, 30),
                    closes_at=time(21, 0),
                    note="الجمعة: الافتتاح بعد الصلاة",
                ),
            ],
            halls=[
                HallIn(name="Hall A · Produits du terroir", area_m2=6000),
                HallIn(name="Hall B · Artisanat", area_m2=4500),
            ],
        ),
        ExhibitionCreate(
            slug=f"marche-itinerant-oriental-{oriental_start.year}",
            kind=ExhibitionKind.regional,
            region="MA-02",
            title_ar="السوق المتنقل للاقتصاد الاجتماعي والتضامني - جهة الشرق",
            title_fr="Marché itinérant de l'économie sociale et solidaire - L'Oriental",
            title_en="Itinerant Social and Solidarity Economy Market - Oriental",
            venue_name="Esplanade de la Foire",
            city="Oujda",
            starts_on=oriental_start,
            ends_on=oriental_start + timedelta(days=5),
            opens_at=time(10, 0),
            closes_at=time(20, 0),
        ),
        ExhibitionCreate(
            slug=f"marche-itinerant-souss-massa-{souss_start.year}",
            kind=ExhibitionKind.regional,
            region="MA-09",
            title_ar="السوق المتنقل للاقتصاد الاجتماعي والتضامني - جهة سوس ماسة",
            title_fr="Marché itinérant de l'économie sociale et solidaire - Souss-Massa",
            title_en="Itinerant Social and Solidarity Economy Market - Souss-Massa",
            venue_name="Place Al Amal",
            city="Agadir",
            starts_on=souss_start,
            ends_on=souss_start + timedelta(days=6),
            opens_at=time(10, 0),
            closes_at=time(20, 0),
            opening_exceptions=[
                OpeningExceptionIn(day=souss_start + timedelta(days=3), note="Fermé : jour de montage des stands"),
            ],
        ),
    ]


async def load_demo(*, now: datetime) -> DemoResult:
    user = await account_queries.find_user_by_email(DEMO_ORGANIZER_EMAIL)
    if user is None:
        await account_services.create_organizer(
            email=DEMO_ORGANIZER_EMAIL,
            password=DEMO_ORGANIZER_PASSWORD,
            now=now,
            display_name="منظم العرض · Demo organizer",
        )
        user = await account_queries.find_user_by_email(DEMO_ORGANIZER_EMAIL)
    assert user is not None
    actor = await account_queries.actor_for_user(user)
    created, slugs = [], []
    for data in demo_exhibitions(now.date()):
        slugs.append(data.slug)
        if await event_queries.find_exhibition(data.slug) is not None:
            continue
        await event_services.create_exhibition(data=data, actor=actor, now=now)
        await event_services.update_exhibition(
            slug=data.slug, changes=ExhibitionUpdate(status=ExhibitionStatus.published), actor=actor, now=now
        )
        # Gate staff need somewhere to scan: the main gate. Seminar rooms are checkpoints of
        # their own, made with the rooms (the national exhibition's programme, below).
        await ticket_services.create_checkpoint(
            slug=data.slug, name="Porte principale", kind=CheckpointKind.gate,
            policy=CheckpointPolicy.once_per_day, capacity=None, actor=actor,
        )  # fmt: skip
        created.append(data.slug)
    await _load_demo_exhibitors(organizer=actor, slug=slugs[0], review_slug=slugs[-1], now=now)
    await _load_demo_stands(organizer=actor, slug=slugs[0], now=now)
    await _load_demo_seminars(organizer=actor, slug=slugs[0], now=now)
    # Visitors see the published programme only. A first version (or an unchanged one) e-mails
    # nobody, so no site address is needed.
    await seminar_services.publish_programme(slug=slugs[0], actor=actor, now=now, base_url="")
    if slugs[0] in created:
        await _load_demo_badges(organizer=actor, slug=slugs[0], now=now)
    past_slug, _ = await load_past_edition(organizer=actor, now=now)
    await mark_planned_dates(organizer=actor, slug=slugs[0], now=now)
    return DemoResult(DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, created, slugs, past_slug)


async def _load_demo_badges(*, organizer: Actor, slug: str, now: datetime) -> None:
    """Badges to print at once: the speakers, moderators and organizers, and two staff badges
    the demo exhibitor asked for its first stand (within its quota)."""
    await badge_services.sync_holders(slug=slug, actor=organizer, now=now)
    user = await account_queries.find_user_by_email(DEMO_EXHIBITOR_EMAIL)
    exhibition = await event_queries.get_exhibition(slug)
    application = (
        await Application.select(Application.id)
        .where((Application.exhibition == exhibition["id"]) & (Application.status == ApplicationStatus.approved.value))
        .order_by(Application.id)
        .first()
    )
    if user is None or application is None:
        return
    exhibitor = await account_queries.actor_for_user(user)
    for name, title in (
        ("Fatima Zahra Amrani · فاطمة الزهراء العمراني", "Présidente"),
        ("Youssef Ait Lahcen", "Vente"),
    ):
        await badge_services.request_staff_badge(
            application_id=application["id"], data=StaffBadgeIn(full_name=name, title=title), actor=exhibitor, now=now
        )


def _picture(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def _load_demo_exhibitors(*, organizer: Actor, slug: str, review_slug: str, now: datetime) -> None:
    """The demo organizations, each applying to ``slug`` and approved, with their products;
    they also apply to ``review_slug``, where they wait for the organizer's assisted review
    (4 stands, at least half women-led, at most half from one region) to be tried."""
    user = await account_queries.find_user_by_email(DEMO_EXHIBITOR_EMAIL)
    if user is None:
        await account_services.create_user(email=DEMO_EXHIBITOR_EMAIL, password=DEMO_EXHIBITOR_PASSWORD, now=now)
        user = await account_queries.find_user_by_email(DEMO_EXHIBITOR_EMAIL)
    assert user is not None
    exhibitor = await account_queries.actor_for_user(user)
    reviewed = False
    for fields, products in _DEMO_ORGANIZATIONS:
        if await Organization.exists().where(Organization.registry_number == fields["registry_number"]):
            continue
        organization = await exhibitor_services.create_organization(
            data=OrganizationCreate(**fields), actor=exhibitor, now=now
        )
        for name, description, colour in products:
            await exhibitor_services.create_product(
                organization_id=organization["id"], data=ProductCreate(name=name, description=description),
                actor=exhibitor, now=now, photo_upload=_picture(colour) if colour else None,
            )  # fmt: skip
        application = await exhibitor_services.create_application(
            slug=slug, data=ApplicationCreate(organization=organization["id"]), actor=exhibitor, now=now
        )
        await exhibitor_services.move_application(
            application_id=application["id"], to=ApplicationStatus.submitted, actor=exhibitor, now=now
        )
        await exhibitor_services.decide_application(
            application_id=application["id"], status=ApplicationStatus.approved,
            reason="Sélection de démonstration", actor=organizer, now=now,
        )  # fmt: skip
        waiting = await exhibitor_services.create_application(
            slug=review_slug, data=ApplicationCreate(organization=organization["id"], products=", ".join(
                name for name, _, _ in products)), actor=exhibitor, now=now,
        )  # fmt: skip
        await exhibitor_services.move_application(
            application_id=waiting["id"], to=ApplicationStatus.submitted, actor=exhibitor, now=now
        )
        reviewed = True
    if reviewed:
        await exhibitor_services.set_review_settings(
            slug=review_slug, actor=organizer, now=now, data=ReviewSettingsIn(capacity=4, quotas=[
                QuotaIn(dimension=Dimension.women_led, min_share=0.5),
                QuotaIn(dimension=Dimension.region, value="MA-09", max_share=0.5),
            ]),
        )  # fmt: skip


# The national exhibition's first hall: two rows of six 3 m × 3 m stands with power, across a
# 3 m aisle, on a 26 m × 14 m plan. Enough for the demo's approved exhibitors and a few more.
_DEMO_HALL = "Hall A · Produits du terroir"
_DEMO_GRID = GridIn(
    hall=1, rows=2, columns=6, stand_width=3.0, stand_depth=3.0, prefix="A", aisle_width=3.0, origin_x=4.0,
    origin_y=2.0, mark_corners=True, zone="Terroir", power=True,
)  # fmt: skip


async def _load_demo_stands(*, organizer: Actor, slug: str, now: datetime) -> None:
    """Stands and their published allocation, made the way organizers make them: generate a
    grid, compute a proposal, accept it (which publishes and tells the exhibitors)."""
    _, count = await stand_services.list_stands(slug=slug, actor=organizer, per_page=1)
    if count:
        return
    halls = {hall["name"]: hall["id"] for hall in await stand_services.list_halls(slug=slug, actor=organizer)}
    await stand_services.set_hall_plan(slug=slug, hall_id=halls[_DEMO_HALL], width=26, depth=14, actor=organizer)
    grid = msgspec.structs.replace(_DEMO_GRID, hall=halls[_DEMO_HALL])
    await stand_services.generate_stands(slug=slug, data=grid, actor=organizer, now=now)
    # A small instance: solved to optimality well within a second.
    proposal = await stand_services.compute_proposal(slug=slug, actor=organizer, now=now, overrides={"time_limit_s": 2})
    await stand_services.accept_proposal(
        slug=slug, proposal_id=proposal["id"], applications=None, actor=organizer, now=now
    )


# The national exhibition's seminars: two rooms in two pavilions, Moroccan and foreign
# researchers and officials (names in both scripts where they have both), eight sessions
# over its second and third days in the four tracks. (room, day, start, end, type, track,
# (Arabic, French, English) titles, (person, role)...)
_DEMO_ROOMS = (("Salle Ibn Khaldoun", "Pavillon A", 150), ("Salle Al Massira", "Pavillon B", 60))
_DEMO_PEOPLE: tuple[tuple[str, str, str, str, Literal["ar", "fr", "en"]], ...] = (
    ("أمينة برادة", "Amina Berrada", "Université Mohammed V, Rabat", "MA", "fr"),
    ("يوسف العلمي", "Youssef Alami", "Département de l'Économie sociale et solidaire", "MA", "ar"),
    ("فاطمة الزهراء بناني", "Fatima Zahra Bennani", "Office du Développement de la Coopération", "MA", "fr"),
    ("", "Claire Dubois", "Université de Liège, Centre d'économie sociale", "BE", "fr"),
    ("", "Marta García Ruiz", "Universitat de València, CIRIEC", "ES", "en"),
    ("عبد الله ولد أحمد", "Abdallahi Ould Ahmed", "Université de Nouakchott", "MR", "ar"),
)
_DEMO_SESSIONS = (
    (0, 1, "10:30", "12:00", SessionType.keynote, "legal_framework",
     ("نحو قانون إطار للاقتصاد الاجتماعي والتضامني", "Vers une loi-cadre de l'économie sociale et solidaire",
      "Towards a framework law for the social and solidarity economy"),
     ((1, Role.speaker), (0, Role.moderator))),
    (1, 1, "11:00", "12:30", SessionType.workshop, "initiatives",
     ("ورشة: تثمين منتوجات المجال وعلامات الجودة", "Atelier : valoriser les produits du terroir et leurs labels", ""),
     ((2, Role.moderator),)),
    (0, 1, "12:30", "14:00", SessionType.panel, "public_policy",
     ("السياسات العمومية وتمويل التعاونيات", "Politiques publiques et financement des coopératives", ""),
     ((2, Role.speaker), (5, Role.discussant), (0, Role.moderator))),
    (1, 1, "15:00", "16:30", SessionType.round_table, "international_partnership",
     ("التعاون جنوب-جنوب والاقتصاد التضامني", "Coopération Sud-Sud et économie solidaire", "South-South cooperation"),
     ((5, Role.speaker), (3, Role.speaker), (1, Role.moderator))),
    (0, 2, "10:30", "12:00", SessionType.panel, "international_partnership",
     ("الشراكات الأورومتوسطية للاقتصاد الاجتماعي والتضامني", "Partenariats euro-méditerranéens pour l'ESS",
      "Euro-Mediterranean partnerships for the SSE"),
     ((4, Role.speaker), (3, Role.speaker), (0, Role.moderator), (1, Role.rapporteur))),
    (1, 2, "11:00", "12:30", SessionType.workshop, "initiatives",
     ("الشباب والتعاونيات: الحاضنات الجهوية", "Jeunes et coopératives : les incubateurs régionaux", ""),
     ((2, Role.speaker), (5, Role.moderator))),
    (0, 2, "14:00", "15:30", SessionType.keynote, "legal_framework",
     ("النظام القانوني للمقاول الاجتماعي", "Le statut juridique de l'entrepreneur social", ""),
     ((0, Role.speaker), (2, Role.moderator))),
    (1, 2, "16:00", "17:30", SessionType.panel, "public_policy",
     ("الصفقات العمومية والاقتصاد التضامني", "Commande publique et économie solidaire",
      "Public procurement and the SSE"),
     ((1, Role.speaker), (4, Role.discussant), (3, Role.moderator))),
)  # fmt: skip


async def _load_demo_seminars(*, organizer: Actor, slug: str, now: datetime) -> None:
    """The national exhibition's programme, unless it has rooms already."""
    if await seminar_services.list_rooms(slug=slug, actor=organizer):
        return
    exhibition = await event_queries.get_exhibition(slug)
    zone = ZoneInfo(exhibition["time_zone"])

    def moment(day: int, clock: str) -> datetime:
        hours, minutes = (int(part) for part in clock.split(":"))
        return datetime.combine(exhibition["starts_on"] + timedelta(days=day), time(hours, minutes), tzinfo=zone)

    rooms = [
        (await seminar_services.create_room(
            slug=slug, data=RoomIn(name=name, building=building, capacity=capacity), actor=organizer, now=now
        ))["id"]
        for name, building, capacity in _DEMO_ROOMS
    ]  # fmt: skip
    people = []
    for name_ar, name_latin, affiliation, country, language in _DEMO_PEOPLE:
        # The Valencian researcher flies in for the third day only.
        windows = [WindowIn(moment(2, "09:00"), moment(2, "19:00"))] if country == "ES" else []
        person = await seminar_services.create_person(
            slug=slug, actor=organizer, now=now, data=PersonIn(
                name_ar=name_ar, name_latin=name_latin, affiliation=affiliation, country=country,
                language=language, availability=windows),
        )  # fmt: skip
        people.append(person["id"])
    for room, day, starts, ends, kind, track, (title_ar, title_fr, title_en), roles in _DEMO_SESSIONS:
        await seminar_services.create_session(
            slug=slug, actor=organizer, now=now, data=SessionIn(
                type=kind, track=track, starts_at=moment(day, starts), ends_at=moment(day, ends),
                title_ar=title_ar, title_fr=title_fr, title_en=title_en, room_id=rooms[room],
                languages=["ar", "fr"], interpretation=kind is SessionType.keynote, status=SessionStatus.scheduled,
                needs_registration=kind is SessionType.workshop,
                people=[ParticipationIn(person_id=people[index], role=role) for index, role in roles],
            ),
        )  # fmt: skip
