"""Exhibitions side by side: national against regional, one edition against another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from exhibitions.analytics.services._figures import no_shows, peak_hour, visitors_by_day, visitors_by_hour
from exhibitions.analytics.services._rollups import as_date, engine
from exhibitions.db import fetch
from exhibitions.errors import InvalidInput


class Metric(str, Enum):
    totals = "totals"  # registered, visitors, admissions, no-show rate, days, visitors a day, peak hour
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


async def compare_exhibitions(*, exhibition_ids: list[int], metric: Metric | str) -> Comparison:
    """One table, a column per exhibition (in the order given), a row per key of ``metric``."""
    try:
        metric = Metric(metric)
    except ValueError:
        allowed = ", ".join(m.value for m in Metric)
        raise InvalidInput.single("metric", "unknown_metric", f"must be one of {allowed}") from None
    if not exhibition_ids or len(exhibition_ids) > MAX_COMPARED:
        raise InvalidInput.single("exhibitions", "count", f"must name between 1 and {MAX_COMPARED} exhibitions")
    exhibitions = []
    for exhibition_id in exhibition_ids:
        rows = await fetch(
            engine(),
            "SELECT id, slug, title_ar, title_fr, title_en, kind, region, starts_on, ends_on FROM exhibition"
            " WHERE id = {}",
            exhibition_id,
        )
        if not rows:
            raise InvalidInput.single("exhibitions", "unknown_exhibition", f"no exhibition {exhibition_id}")
        row = rows[0]
        exhibitions.append(
            ComparedExhibition(
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
        )
    if metric is Metric.totals:
        table = await _totals(exhibition_ids)
    elif metric is Metric.visitors_by_day:
        table = await _by_day(exhibition_ids)
    else:
        table = await _hour_profile(exhibition_ids)
    return Comparison(metric=metric.value, exhibitions=exhibitions, rows=table)


async def _totals(exhibition_ids: list[int]) -> list[ComparisonRow]:
    columns: dict[str, list[int | float | str | None]] = {
        key: [] for key in ("registered", "visitors", "admissions", "no_show_rate", "days", "visitors_per_day",
                            "peak_hour")
    }  # fmt: skip
    for exhibition_id in exhibition_ids:
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
