"""A small exhibition whose impact figures are computed by hand in the tests: five approved
exhibitors (and two that are not), three stands (one shared), eight tickets (one revoked)
and four seminar sessions (one cancelled, one draft). Written straight to the database: the
other domains' services are what their own tests are about."""

from __future__ import annotations

from typing import Any

from exhibitions.stands.tables import Stand
from tests.conftest import NOW
from tests.factories import FIRST_DAY
from tests.seminars.attendance_data import checkpoint_of, local, room, session, track
from tests.stands.stands_data import halls

SLUG = "sess-2027"

# (name, region, sector, legal form, declared women-led, members, women, youth, status)
ORGANIZATIONS = (
    ("Coopérative Tifaouine", "MA-09", "argan", "cooperative", True, 10, 2, 1, "approved"),  # women-led
    ("Coopérative Amal", "MA-09", "argan", "cooperative", False, 10, 6, 6, "approved"),  # women- and youth-led
    ("Association Nour", "MA-06", "handicrafts", "association", False, 4, 2, 3, "approved"),  # youth-led
    ("Coopérative Atlas", "MA-06", "textile", "cooperative", False, 0, 0, 0, "approved"),
    ("Mutuelle Chamal", "MA-01", "handicrafts", "mutual", False, 8, 1, 0, "approved"),
    ("Coopérative Bahr", "MA-01", "fishing", "cooperative", True, 5, 5, 5, "submitted"),  # not an exhibitor
    ("Coopérative Rif", "MA-01", "fishing", "cooperative", True, 5, 5, 5, "rejected"),  # not an exhibitor
)


async def _one(sql: str, *args: Any) -> dict[str, Any]:
    return (await Stand.raw(sql, *args))[0]  # type: ignore[no-any-return]


async def build(exhibition: int) -> dict[str, Any]:
    """The fixture's rows; returns the ids the tests need."""
    applications = []
    for number, (name, region, sector, form, declared, members, women, youth, status) in enumerate(ORGANIZATIONS):
        organization = await _one(
            "INSERT INTO organization (legal_form, name_latin, registry_number, region, city, sector,"
            " declared_women_led, members_total, members_women, members_youth, created_at, updated_at)"
            " VALUES ({}, {}, {}, {}, 'Agadir', {}, {}, {}, {}, {}, {}, {}) RETURNING id",
            form, name, f"{number}/2019", region, sector, declared, members, women, youth, NOW, NOW,
        )  # fmt: skip
        application = await _one(
            "INSERT INTO application (exhibition, organization, status, created_at, updated_at)"
            " VALUES ({}, {}, {}, {}, {}) RETURNING id",
            exhibition, organization["id"], status, NOW, NOW,
        )  # fmt: skip
        applications.append(int(application["id"]))

    # Quotas: women-led at least 30 % (met: 40 %), Souss-Massa at most 30 % (not met: 40 %),
    # fishing at least 10 % (not met: 0).
    for position, (dimension, value, low, high) in enumerate(
        (("women_led", "", 3000, None), ("region", "MA-09", None, 3000), ("sector", "fishing", 1000, None))
    ):
        await Stand.raw(
            "INSERT INTO review_quota (exhibition, dimension, value, min_bp, max_bp, position)"
            " VALUES ({}, {}, {}, {}, {}, {})",
            exhibition, dimension, value, low, high, position,
        )  # fmt: skip

    # Stands: S1 3 m × 3 m for Tifaouine; S2 4 m × 3 m shared by Amal (MA-09) and Nour (MA-06);
    # S3 6 m × 3 m for Atlas; Chamal has none; S4 is free.
    hall = (await halls(exhibition))["Hall A"]
    stands = {}
    for code, x, width, capacity in (
        ("S1", 0, 300, 1),
        ("S2", 500, 400, 2),
        ("S3", 1000, 600, 1),
        ("S4", 2000, 500, 1),
    ):
        row = await _one(
            "INSERT INTO stand (exhibition, hall, code, x_cm, y_cm, width_cm, depth_cm, capacity, created_at,"
            " updated_at) VALUES ({}, {}, {}, {}, 0, {}, 300, {}, {}, {}) RETURNING id",
            exhibition, hall, code, x, width, capacity, NOW, NOW,
        )  # fmt: skip
        stands[code] = int(row["id"])
    for code, application, seat in (("S1", 0, 1), ("S2", 1, 1), ("S2", 2, 2), ("S3", 3, 1)):
        await Stand.raw(
            "INSERT INTO stand_assignment (stand, application, seat, assigned_at) VALUES ({}, {}, {}, {})",
            stands[code], applications[application], seat, NOW,
        )  # fmt: skip

    # Tickets: (region, country, came at the gate, status).
    gate = await _one(
        "INSERT INTO checkpoint (exhibition, name, kind, policy) VALUES ({}, 'Porte Nord', 'gate', 'once_per_day')"
        " RETURNING id",
        exhibition,
    )  # fmt: skip
    tickets = []
    for number, (region, country, came, status) in enumerate(
        (
            ("MA-06", None, True, "valid"),
            ("MA-06", None, True, "valid"),
            ("MA-06", None, False, "valid"),
            ("MA-01", None, True, "valid"),
            ("abroad", "FR", True, "valid"),
            ("abroad", "FR", False, "valid"),
            ("abroad", "SN", False, "valid"),
            ("MA-06", None, True, "revoked"),  # replaced: never counted
        )
    ):
        ticket = await _one(
            "INSERT INTO ticket (exhibition, access_token, manual_code, holder_name, email, home_region, country,"
            " category, language, first_day, day_count, key_id, status, created_at)"
            " VALUES ({}, {}, {}, {}, {}, {}, {}, 'general', 'fr', {}, 1, 1, {}, {}) RETURNING id",
            exhibition, f"token-{number}", f"CODE{number}", f"Visiteur {number}", f"v{number}@example.ma", region,
            country, FIRST_DAY, status, NOW,
        )  # fmt: skip
        tickets.append(int(ticket["id"]))
        if came:
            await Stand.raw(
                "INSERT INTO admission (ticket, checkpoint, scope, slot, admitted_at) VALUES ({}, {}, 'day', {}, {})",
                ticket["id"], gate["id"], str(FIRST_DAY), local(0, 9, 50),
            )  # fmt: skip

    # Seminars in one room of 50 seats.
    hall_room = await room(exhibition, "Salle Atlas", 50)
    door = await checkpoint_of(hall_room)
    theme = await track(exhibition, "femmes", "Femmes et ESS", name_ar="المرأة والاقتصاد التضامني")
    first = await session(
        exhibition, track_id=theme, room_id=hall_room, starts_at=local(0, 10), title_fr="Les coopératives de femmes",
        title_ar="تعاونيات النساء", title_en="Women's cooperatives",
    )  # fmt: skip
    second = await session(
        exhibition, track_id=theme, room_id=hall_room, starts_at=local(0, 11, 30), capacity=20,
        title_fr="Financer l'ESS", title_ar="تمويل الاقتصاد الاجتماعي", title_en="Financing the SSE",
    )  # fmt: skip
    await session(exhibition, track_id=theme, room_id=hall_room, starts_at=local(1, 10), status="cancelled")
    await session(exhibition, track_id=theme, room_id=hall_room, starts_at=local(1, 14), status="draft")
    # Registrations for the first session: three seats and one on the waitlist (not counted).
    for ticket, status, position in ((0, "registered", None), (1, "registered", None), (2, "registered", None),
                                     (3, "waitlisted", 1)):  # fmt: skip
        await Stand.raw(
            "INSERT INTO session_registration (exhibition, session, ticket, status, position, created_at)"
            " VALUES ({}, {}, {}, {}, {}, {})",
            exhibition, first, tickets[ticket], status, position, NOW,
        )  # fmt: skip
    # At the door: ticket 0 admitted 20 min early (counts), ticket 2 50 min early (does not),
    # ticket 3 at 11:00 (the first session's end: the second's, 30 min before it starts),
    # ticket 0 again at 12:00 (the second session); ticket 1 scanned in while already inside.
    for ticket, slot, moment in ((0, "a", local(0, 9, 40)), (2, "b", local(0, 9, 10)), (3, "c", local(0, 11)),
                                 (0, "d", local(0, 12))):  # fmt: skip
        await Stand.raw(
            "INSERT INTO admission (ticket, checkpoint, scope, slot, admitted_at) VALUES ({}, {}, 'room', {}, {})",
            tickets[ticket], door, slot, moment,
        )  # fmt: skip
    await Stand.raw(
        "INSERT INTO scan (exhibition, checkpoint, ticket, direction, result, scanned_at, received_at)"
        " VALUES ({}, {}, {}, 'in', 'already_admitted', {}, {})",
        exhibition, door, tickets[1], local(0, 10, 30), local(0, 10, 30),
    )  # fmt: skip
    return {"applications": applications, "stands": stands, "tickets": tickets, "sessions": (first, second)}
