"""Demo data: the national exhibition, two regional itinerant markets and one organizer.

Dates are relative to today, so the demo always shows an upcoming season. Running it
twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from exhibitions.accounts import queries as account_queries
from exhibitions.accounts import services as account_services
from exhibitions.events import queries as event_queries
from exhibitions.events import services as event_services
from exhibitions.events.schemas import ExhibitionCreate, ExhibitionUpdate, HallIn, OpeningExceptionIn
from exhibitions.events.tables import ExhibitionKind, ExhibitionStatus
from exhibitions.tickets import services as ticket_services
from exhibitions.tickets.tables import CheckpointKind, CheckpointPolicy

DEMO_ORGANIZER_EMAIL = "organizer@example.ma"
DEMO_ORGANIZER_PASSWORD = "demo-organizer-password"  # noqa: S105 - printed for the demo


@dataclass(frozen=True)
class DemoResult:
    organizer_email: str
    organizer_password: str
    created: list[str]
    slugs: list[str]


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
        # Gate staff need somewhere to scan: the main gate, and a seminar room that fills up.
        for name, kind, policy, capacity in (
            ("Porte principale", CheckpointKind.gate, CheckpointPolicy.once_per_day, None),
            ("Salle des séminaires", CheckpointKind.room, CheckpointPolicy.reentry_after_exit, 120),
        ):
            await ticket_services.create_checkpoint(
                slug=data.slug, name=name, kind=kind, policy=policy, capacity=capacity, actor=actor
            )
        created.append(data.slug)
    return DemoResult(DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, created, slugs)
