"""Exhibitions side by side: national against regional, one edition against another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from exhibitions.accounts.actor import Actor
from exhibitions.analytics.impact.figures import collect_figures
from exhibitions.analytics.services._access import analytics_exhibition, can_read_analytics
from exhibitions.analytics.services._figures import no_shows, peak_hour, visitors_by_day, visitors_by_hour
from exhibitions.analytics.services._rollups import as_date
from exhibitions.clock import utcnow
from exhibitions.errors import InvalidInput
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors.services._export import MEDIA_TYPES, Export, ExportFormat
from exhibitions.spreadsheets import csv_bytes, xlsx_bytes
from exhibitions.web.i18n import N_, Translator


class Metric(str, Enum):
    # exhibitors, women-led and youth-led shares, stands, area, sessions; registered, visitors,
    # admissions, no-show rate, days, visitors a day, peak hour
    totals = "totals"
    visitors_by_day = "visitors_by_day"  # visitors on day 1, 2, ... of each
    hour_profile = "hour_profile"  # each local hour's share of the exhibition's admissions


@dataclass(frozen=True)
class ComparedExhibition:
    id: int
    slug: str
    title_ar: str
    title_fr: str
    title_en: str
    kind: str  # national or regional
    region: str | None
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    values: list[int | float | str | None]  # one per exhibition, in the order of ``exhibitions``


@dataclass(frozen=True)
class Comparison:
    metric: str
    exhibitions: list[ComparedExhibition]
    rows: list[ComparisonRow]


MAX_COMPARED = 10
SUGGESTED_EDITIONS = 3  # earlier editions of the same kind and region ticked on first view

# What each metric and its rows are called in pages and files (a title is a sheet name too:
# 31 characters at most, no colon).
METRIC_TITLES = {
    Metric.totals: N_("Totals"),
    Metric.visitors_by_day: N_("Visitors by day"),
    Metric.hour_profile: N_("Hour profile"),
}
KEY_HEADERS = {Metric.totals: N_("Figure"), Metric.visitors_by_day: N_("Day"), Metric.hour_profile: N_("Hour")}
TOTALS_LABELS = {
    "exhibitors": N_("Approved exhibitors"),
    "women_led_share": N_("Women-led exhibitors (share)"),
    "youth_led_share": N_("Youth-led exhibitors (share)"),
    "stands": N_("Stands allocated"),
    "area_m2": N_("Stand area (m²)"),
    "sessions": N_("Seminar sessions"),
    "registered": N_("Registrations"),
    "visitors": N_("Visitors"),
    "admissions": N_("Admissions"),
    "no_show_rate": N_("No-show rate"),
    "days": N_("Days of the exhibition"),
    "visitors_per_day": N_("Visitors per day"),
    "peak_hour": N_("Peak hour"),
}

_EXHIBITION_COLUMNS = (
    Exhibition.id, Exhibition.slug, Exhibition.title_ar, Exhibition.title_fr, Exhibition.title_en, Exhibition.kind,
    Exhibition.region, Exhibition.starts_on, Exhibition.ends_on,
)  # fmt: skip


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _compared(row: dict[str, Any]) -> ComparedExhibition:
    return ComparedExhibition(
        id=row["id"],
        slug=row["slug"],
        title_ar=row["title_ar"],
        title_fr=row["title_fr"],
        title_en=row["title_en"],
        kind=row["kind"],
        region=row["region"],
        starts_on=as_date(row["starts_on"]),
        ends_on=as_date(row["ends_on"]),
    )


def _metric(value: Metric | str) -> Metric:
    try:
        return Metric(value)
    except ValueError:
        allowed = ", ".join(m.value for m in Metric)
        raise InvalidInput.single("metric", "unknown_metric", f"must be one of {allowed}") from None


async def compare_exhibitions(*, exhibition_ids: list[int], metric: Metric | str) -> Comparison:
    """One table, a column per exhibition (in the order given), a row per key of ``metric``."""
    metric = _metric(metric)
    if not exhibition_ids or len(exhibition_ids) > MAX_COMPARED:
        raise InvalidInput.single("exhibitions", "count", f"must name between 1 and {MAX_COMPARED} exhibitions")
    exhibitions = []
    for exhibition_id in exhibition_ids:
        rows = await Exhibition.select(*_EXHIBITION_COLUMNS).where(Exhibition.id == exhibition_id)
        if not rows:
            raise InvalidInput.single("exhibitions", "unknown_exhibition", f"no exhibition {exhibition_id}")
        exhibitions.append(_compared(rows[0]))
    if metric is Metric.totals:
        table = await _totals(exhibition_ids)
    elif metric is Metric.visitors_by_day:
        table = await _by_day(exhibition_ids)
    else:
        table = await _hour_profile(exhibition_ids)
    return Comparison(metric=metric.value, exhibitions=exhibitions, rows=table)


async def _totals(exhibition_ids: list[int]) -> list[ComparisonRow]:
    columns: dict[str, list[int | float | str | None]] = {key: [] for key in TOTALS_LABELS}
    for exhibition_id in exhibition_ids:
        # Who exhibited, by the impact report's own rules (approved applications; women-led and
        # youth-led as the review counts them; a shared stand once).
        [exhibition] = await Exhibition.select().where(Exhibition.id == exhibition_id)
        impact = await collect_figures(exhibition, now=utcnow())
        columns["exhibitors"].append(impact.exhibitors)
        columns["women_led_share"].append(_share(impact.women_led, impact.exhibitors))
        columns["youth_led_share"].append(_share(impact.youth_led, impact.exhibitors))
        columns["stands"].append(impact.stands)
        columns["area_m2"].append(impact.area_m2)
        columns["sessions"].append(len(impact.sessions))
        missed = await no_shows(exhibition_id=exhibition_id)
        days = await visitors_by_day(exhibition_id=exhibition_id)
        peak = await peak_hour(exhibition_id=exhibition_id)
        admissions = sum(day.admissions for day in days)
        columns["registered"].append(missed.registered)
        columns["visitors"].append(missed.came)
        columns["admissions"].append(admissions)
        columns["no_show_rate"].append(missed.rate)
        columns["days"].append(len(days))
        columns["visitors_per_day"].append(round(sum(day.visitors for day in days) / len(days), 1) if days else None)
        columns["peak_hour"].append(f"{peak.day.isoformat()} {peak.hour:02d}:00" if peak else None)
    return [ComparisonRow(key, values) for key, values in columns.items()]


async def _by_day(exhibition_ids: list[int]) -> list[ComparisonRow]:
    series = [[day.visitors for day in await visitors_by_day(exhibition_id=each)] for each in exhibition_ids]
    longest = max(len(values) for values in series)
    return [
        ComparisonRow(str(number + 1), [values[number] if number < len(values) else None for values in series])
        for number in range(longest)
    ]


async def _hour_profile(exhibition_ids: list[int]) -> list[ComparisonRow]:
    profiles = []
    for exhibition_id in exhibition_ids:
        per_hour: dict[int, int] = {}
        for count in await visitors_by_hour(exhibition_id=exhibition_id):
            per_hour[count.hour] = per_hour.get(count.hour, 0) + count.admissions
        total = sum(per_hour.values())
        profiles.append({hour: round(value / total, 4) for hour, value in per_hour.items()} if total else {})
    hours = sorted({hour for profile in profiles for hour in profile})
    return [ComparisonRow(f"{hour:02d}:00", [profile.get(hour, 0.0) for profile in profiles]) for hour in hours]


async def compare_for(*, slugs: list[str], actor: Actor | None, metric: Metric | str) -> Comparison:
    """``compare_exhibitions`` of the exhibitions named by ``slugs`` (a repeated one counts
    once), for someone who may read the analytics of every one of them."""
    metric = _metric(metric)
    unique = list(dict.fromkeys(slugs))
    if not unique or len(unique) > MAX_COMPARED:
        raise InvalidInput.single("exhibitions", "count", f"must name between 1 and {MAX_COMPARED} exhibitions")
    ids = [int((await analytics_exhibition(slug=slug, actor=actor))["id"]) for slug in unique]
    return await compare_exhibitions(exhibition_ids=ids, metric=metric)


@dataclass(frozen=True)
class ComparisonChoices:
    choices: list[ComparedExhibition]  # every other exhibition the reader may compare with, newest first
    suggested: list[str]  # the slugs ticked before the reader chooses


async def comparison_choices(*, slug: str, actor: Actor | None, today: date) -> ComparisonChoices:
    """What ``slug`` can be compared with, and a first choice: its latest ended editions of
    the same kind and region, and for a regional market the latest ended national edition."""
    exhibition = await analytics_exhibition(slug=slug, actor=actor)
    rows = (
        await Exhibition.select(*_EXHIBITION_COLUMNS)
        .where(Exhibition.id != exhibition["id"])
        .order_by(Exhibition.starts_on, Exhibition.id, ascending=False)
    )
    choices = [_compared(row) for row in rows if can_read_analytics(actor, row["id"])]
    ended = [choice for choice in choices if choice.ends_on < today]
    suggested = [
        choice.slug for choice in ended if choice.kind == exhibition["kind"] and choice.region == exhibition["region"]
    ][:SUGGESTED_EDITIONS]
    if exhibition["kind"] == "regional":
        suggested += [choice.slug for choice in ended if choice.kind == "national"][:1]
    return ComparisonChoices(choices=choices, suggested=suggested)


def _cell(metric: Metric, value: int | float | str | None) -> int | float | str | None:
    if metric is Metric.hour_profile and isinstance(value, float):
        return round(value * 100, 2)  # a percentage, as the page shows it
    return value


async def export_comparison(
    *, slugs: list[str], actor: Actor | None, metric: Metric | str, fmt: ExportFormat, language: str = "en"
) -> Export:
    """One comparison table as CSV or XLSX: a row per key, a column per exhibition (its
    title in ``language``, its dates); counts only, no person in it."""
    comparison = await compare_for(slugs=slugs, actor=actor, metric=metric)
    metric = Metric(comparison.metric)
    translator = Translator(language)
    headers = [translator.gettext(KEY_HEADERS[metric])] + [
        f"{getattr(each, f'title_{language}', None) or each.title_fr} ({each.starts_on.isoformat()})"
        for each in comparison.exhibitions
    ]
    if metric is Metric.hour_profile:
        headers = [headers[0]] + [f"{header} %" for header in headers[1:]]
    rows: list[list[int | float | str | None]] = [
        [translator.gettext(TOTALS_LABELS[row.key]) if metric is Metric.totals else row.key,
         *(_cell(metric, value) for value in row.values)]
        for row in comparison.rows
    ]  # fmt: skip
    title = translator.gettext(METRIC_TITLES[metric])
    content = xlsx_bytes(headers, rows, title=title) if fmt is ExportFormat.xlsx else csv_bytes(headers, rows)
    first = comparison.exhibitions[0].slug
    return Export(content=content, media_type=MEDIA_TYPES[fmt], filename=f"{first}-compare-{metric.value}.{fmt.value}")
