"""From rows to ``BadgeView``s (what a printed badge shows), and single badges as PDFs.

The QR of every badge is ``{base_url}/leads/{lead_id}``: a random id, never the visitor's
entry code and never a name or an e-mail. The exhibition's name and dates are in the
holder's language; names, titles and organizations stay as typed, in any script."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from exhibitions.accounts.actor import Actor
from exhibitions.badges.services._common import organization_name, raw
from exhibitions.badges.services._holders import get_holder, lead_url
from exhibitions.documents import render_in_thread

if TYPE_CHECKING:
    from exhibitions.badges.views import BadgeView

_BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en_GB"}

_BATCH_HOLDERS = """
SELECT h.*, o.name_ar AS organization_name_ar, o.name_latin AS organization_name_latin,
       e.title_ar AS exhibition_ar, e.title_fr AS exhibition_fr, e.title_en AS exhibition_en,
       e.starts_on, e.ends_on,
       (SELECT s.code FROM application a JOIN stand_assignment sa ON sa.application = a.id
          JOIN stand s ON s.id = sa.stand
        WHERE a.exhibition = h.exhibition AND a.organization = h.organization
          AND a.status = 'approved' ORDER BY s.code LIMIT 1) AS stand_code
FROM badge_batch_item i
JOIN badge_holder h ON h.id = i.holder
JOIN exhibition e ON e.id = h.exhibition
LEFT JOIN organization o ON o.id = h.organization
WHERE i.batch = {}
ORDER BY i.position"""


def exhibition_dates(starts_on: date, ends_on: date, language: str) -> str:
    """ "12–15 mars 2027", "12–15 مارس 2027": the span in the badge's language."""
    from babel.dates import format_date, format_interval

    locale = _BABEL_LOCALES.get(language, "fr_MA")
    if starts_on == ends_on:
        return format_date(starts_on, format="long", locale=locale)
    return format_interval(starts_on, ends_on, skeleton="yMMMMd", locale=locale)


def view_of(row: dict[str, Any], base_url: str) -> BadgeView:
    """The badge of a holder row joined with its exhibition (see ``_BATCH_HOLDERS``)."""
    from exhibitions.badges.views import BadgeView

    language = row["language"]
    if row.get("organization") is not None:
        organization = organization_name(row.get("organization_name_ar"), row.get("organization_name_latin"), language)
    else:
        organization = row.get("organization_label") or ""
    exhibition_name = row.get(f"exhibition_{language}") or row["exhibition_fr"]
    return BadgeView(
        role=row["role"],
        full_name=row["full_name"],
        language=language,
        exhibition_name=exhibition_name,
        exhibition_dates=exhibition_dates(_as_date(row["starts_on"]), _as_date(row["ends_on"]), language),
        qr_payload=lead_url(base_url, row["lead_id"]),
        title=row.get("title") or "",
        organization=organization,
        stand_code=(row.get("stand_code") or "") if row["role"] == "exhibitor_staff" else "",
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def badge_views(*, batch_id: int, base_url: str) -> list[BadgeView]:
    """The badges of a batch in their frozen order (holders deleted since are left out)."""
    return [view_of(row, base_url) for row in await raw(_BATCH_HOLDERS, batch_id)]


async def holder_view(*, slug: str, holder_id: int, actor: Actor | None, base_url: str) -> BadgeView:
    holder = await get_holder(slug=slug, holder_id=holder_id, actor=actor)
    rows = await raw(
        "SELECT title_ar AS exhibition_ar, title_fr AS exhibition_fr, title_en AS exhibition_en, starts_on, ends_on"
        " FROM exhibition WHERE id = {}",
        holder["exhibition"],
    )
    return view_of({**holder, **rows[0]}, base_url)


async def single_badge_pdf(*, slug: str, holder_id: int, actor: Actor | None, base_url: str, size: str = "a6") -> bytes:
    """One badge as a PDF for the organizer's desk printer (page = badge)."""
    from exhibitions.badges.rendering import render_badge

    view = await holder_view(slug=slug, holder_id=holder_id, actor=actor, base_url=base_url)
    return await render_in_thread(render_badge, view, size=size)


async def staff_badge_views(*, exhibition_id: int, organization_id: int, base_url: str) -> list[BadgeView]:
    """An exhibitor's own staff badges, for its download."""
    rows = await raw(
        "SELECT h.*, o.name_ar AS organization_name_ar, o.name_latin AS organization_name_latin,"
        " e.title_ar AS exhibition_ar, e.title_fr AS exhibition_fr, e.title_en AS exhibition_en,"
        " e.starts_on, e.ends_on,"
        " (SELECT s.code FROM application a JOIN stand_assignment sa ON sa.application = a.id"
        "  JOIN stand s ON s.id = sa.stand WHERE a.exhibition = h.exhibition AND a.organization = h.organization"
        "  AND a.status = 'approved' ORDER BY s.code LIMIT 1) AS stand_code"
        " FROM badge_holder h JOIN exhibition e ON e.id = h.exhibition JOIN organization o ON o.id = h.organization"
        " WHERE h.exhibition = {} AND h.organization = {} AND h.role = 'exhibitor_staff'"
        " ORDER BY h.created_at, h.id",
        exhibition_id, organization_id,
    )  # fmt: skip
    return [view_of(row, base_url) for row in rows]
