"""The impact report as a PDF, in Arabic, French or English: the figures of ``figures.py``
as tables, each with its chart, in the reader's language.

``report_tables`` is the one place the figures become rows a person reads: the PDF and the
XLSX (``spreadsheet.py``) both take their tables from it, so the two never disagree.
Rendered by WeasyPrint from ``templates/analytics/impact/report.html`` and
``static/css/impact-report.css`` through ``exhibitions.documents`` (only our templates and
static files can be read; one render at a time). Plain values in, bytes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from exhibitions.analytics.impact.charts import Series, bar_chart
from exhibitions.analytics.impact.figures import ImpactFigures, QuotaResult
from exhibitions.documents import document_environment, local_resources, render_in_thread
from exhibitions.events.regions import regions_by_code
from exhibitions.exhibitors.labels import LEGAL_FORM_LABELS, SECTOR_LABELS
from exhibitions.paths import STATIC_DIR
from exhibitions.web.i18n import N_, Translator

TEMPLATE = "analytics/impact/report.html"
# A seminar chart beyond this many sessions is unreadable: it shows the most attended ones.
CHART_SESSIONS = 20
# Visitors' origins beyond this many lines are grouped in the chart (the table lists them all).
CHART_ORIGINS = 14

PARTNERSHIPS_ABSENT = N_(
    "Partnership agreements are not recorded in this edition: the platform has no register of "
    "partnerships yet, so this report gives no figure for them."
)


Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """A table of the report: the sheet name of the XLSX, the headers, the rows (numbers stay
    numbers), and the chart drawn from it (SVG, or '' when it has none)."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: bytes = b""  # PNG
    note: str = ""
    # The columns holding numbers, aligned to the end of the cell.
    numeric: tuple[int, ...] = field(default=())


def _percent(count: int, total: int) -> float:
    """A share in per cent, one decimal (0 when there is nothing to share)."""
    return round(100 * count / total, 1) if total else 0.0


def region_name(code: str, translator: Translator) -> str:
    if code == "abroad":
        return translator.gettext("Abroad")
    region = regions_by_code().get(code)
    return region.name(translator.language) if region else code


def country_name(code: str | None, translator: Translator) -> str:
    if not code:
        return translator.gettext("Abroad")
    return str(translator.locale.territories.get(code.upper(), code))


def _label(labels: dict[str, str], key: str, translator: Translator) -> str:
    return translator.gettext(labels[key]) if key in labels else key


def quota_label(quota: QuotaResult, translator: Translator) -> str:
    _ = translator.gettext
    if quota.dimension == "women_led":
        return _("Women-led")
    if quota.dimension == "region":
        shown = region_name(quota.value, translator)
    elif quota.dimension == "sector":
        shown = _label(SECTOR_LABELS, quota.value, translator)
    elif quota.dimension == "legal_form":
        shown = _label(LEGAL_FORM_LABELS, quota.value, translator)
    else:
        shown = quota.value
    names = {"region": N_("Region"), "sector": N_("Sector"), "legal_form": N_("Legal form")}
    return _("{dimension}: {value}").format(dimension=_(names.get(quota.dimension, quota.dimension)), value=shown)


def _bound(bp: int | None) -> float | None:
    return None if bp is None else round(bp / 100, 2)


def report_tables(figures: ImpactFigures, translator: Translator, *, charts: bool = True) -> list[Table]:
    """The report's tables in the reader's language, in the order the PDF shows them."""
    _ = translator.gettext
    rtl = translator.direction == "rtl"
    count_header, share_header = _("Exhibitors"), _("Share (%)")
    tables = []

    def draw(labels: Sequence[str], series: Sequence[Series], **options: Any) -> bytes:
        # matplotlib draws only for the PDF, and only tables with rows get a chart.
        return bar_chart(labels, series, rtl=rtl, **options) if charts and labels else b""

    def exhibitor_table(key: str, title: str, first: str, rows: list[tuple[str, int]]) -> Table:
        chart = draw([name for name, _n in rows], [Series(count_header, tuple(float(n) for _k, n in rows))])
        return Table(
            key, title, (first, count_header, share_header),
            tuple((name, n, _percent(n, figures.exhibitors)) for name, n in rows),
            chart, numeric=(1, 2),
        )  # fmt: skip

    tables.append(
        exhibitor_table(
            "by_region", _("Exhibitors by region"), _("Region"),
            [(region_name(c.key, translator), c.count) for c in figures.by_region],
        )
    )  # fmt: skip
    tables.append(
        exhibitor_table(
            "by_sector", _("Exhibitors by sector"), _("Sector"),
            [(_label(SECTOR_LABELS, c.key, translator), c.count) for c in figures.by_sector],
        )
    )  # fmt: skip
    tables.append(
        exhibitor_table(
            "by_legal_form", _("Exhibitors by legal form"), _("Legal form"),
            [(_label(LEGAL_FORM_LABELS, c.key, translator), c.count) for c in figures.by_legal_form],
        )
    )  # fmt: skip

    # Women-led and youth-led: the shares, and every review quota against the approved exhibitors.
    share_rows: list[tuple[str, int, float, float | None, float | None, str]] = []
    marks: list[tuple[float | None, float | None]] = []
    women_quotas = [quota for quota in figures.quotas if quota.dimension == "women_led"]
    for label, count, quotas in (
        (_("Women-led"), figures.women_led, women_quotas),
        (_("Youth-led"), figures.youth_led, []),
    ):
        low = next((q.min_bp for q in quotas if q.min_bp is not None), None)
        high = next((q.max_bp for q in quotas if q.max_bp is not None), None)
        verdict = (_("Met") if all(q.met for q in quotas) else _("Not met")) if quotas else _("No quota set")
        share_rows.append((label, count, _percent(count, figures.exhibitors), _bound(low), _bound(high), verdict))
        marks.append((None if low is None else low / 100, None if high is None else high / 100))
    # Shares of no exhibitor are no figure to draw (and an empty report then needs no matplotlib).
    share_chart = draw(
        [row[0] for row in share_rows] if figures.exhibitors else [],
        [Series(share_header, tuple(row[2] for row in share_rows))], unit=" %", limit=100, marks=marks,
    )  # fmt: skip
    headers = (
        _("Organizations"),
        count_header,
        share_header,
        _("Quota minimum (%)"),
        _("Quota maximum (%)"),
        _("Quota"),
    )
    tables.append(
        Table(
            "women_youth", _("Women-led and youth-led organizations"), headers, tuple(share_rows),
            share_chart, numeric=(1, 2, 3, 4),
            note=_(
                "Women-led: the organization declared itself women-led, or women are more than half of its "
                "members. Youth-led: members under 35 are more than half of its members. Shares are of the "
                "{count} approved exhibitors; a quota line marks its minimum (solid) or maximum (dashed)."
            ).format(count=translator.number(figures.exhibitors)),
        )
    )  # fmt: skip
    tables.append(
        Table(
            "quotas", _("Review quotas against the approved exhibitors"),
            (_("Quota"), count_header, share_header, _("Quota minimum (%)"), _("Quota maximum (%)"), _("Result")),
            tuple(
                (
                    quota_label(q, translator), q.count, _percent(q.count, q.total), _bound(q.min_bp),
                    _bound(q.max_bp), _("Met") if q.met else _("Not met"),
                )
                for q in figures.quotas
            ),
            numeric=(1, 2, 3, 4),
            note="" if figures.quotas else _("The organizers set no quota for this exhibition's review."),
        )
    )  # fmt: skip

    area_total = sum(area.area_cm2 for area in figures.areas)
    area_rows = [
        (region_name(a.region, translator), a.exhibitors, a.stands, a.area_m2, _percent(a.area_cm2, area_total))
        for a in figures.areas
    ]
    area_chart = draw(
        [row[0] for row in area_rows], [Series(_("Area (m²)"), tuple(float(row[3]) for row in area_rows))]
    )
    tables.append(
        Table(
            "areas", _("Stands and area allocated per region"),
            (_("Region"), count_header, _("Stands"), _("Area (m²)"), _("Share of the area (%)")), tuple(area_rows),
            area_chart, numeric=(1, 2, 3, 4),
            note=_("A stand two exhibitors share counts for each of their regions and gives each half its area."),
        )
    )  # fmt: skip

    origin_rows = [
        (
            region_name(o.region, translator) if o.region != "abroad" else country_name(o.country, translator),
            o.registered, o.came, _percent(o.came, o.registered),
        )
        for o in figures.origins
    ]  # fmt: skip
    shown = origin_rows[:CHART_ORIGINS]
    if len(origin_rows) > CHART_ORIGINS:
        rest = origin_rows[CHART_ORIGINS:]
        shown.append((_("Other origins"), sum(r[1] for r in rest), sum(r[2] for r in rest), 0.0))
    origin_chart = draw(
        [row[0] for row in shown],
        [
            Series(_("Registered visitors"), tuple(float(row[1]) for row in shown)),
            Series(_("Visitors who came"), tuple(float(row[2]) for row in shown)),
        ],
    )
    tables.append(
        Table(
            "visitors", _("Visitors and their origin"),
            (_("Origin"), _("Registered visitors"), _("Visitors who came"), _("Came (%)")), tuple(origin_rows),
            origin_chart, numeric=(1, 2, 3),
            note=_(
                "A visitor is a valid ticket; a visitor came when the ticket was admitted at least once. "
                "Visitors from abroad are listed by country."
            ),
        )
    )  # fmt: skip

    zone = ZoneInfo(figures.time_zone)
    session_rows = [
        (
            s.title(translator.language),
            translator.datetime(s.starts_at.astimezone(zone), "short"),
            s.room, s.capacity, s.registered, s.attended, _percent(s.attended, s.capacity),
        )
        for s in figures.sessions
    ]  # fmt: skip
    charted = sorted(figures.sessions, key=lambda s: (-s.attended, s.starts_at))[:CHART_SESSIONS]
    charted.sort(key=lambda s: (s.starts_at, s.id))
    session_chart = draw(
        [_short(s.title(translator.language)) for s in charted],
        [
            Series(_("Capacity"), tuple(float(s.capacity) for s in charted)),
            Series(_("Registrations"), tuple(float(s.registered) for s in charted)),
            Series(_("Attendance"), tuple(float(s.attended) for s in charted)),
        ],
    )
    session_note = _(
        "A session's attendance counts the tickets scanned at its room's door from 30 minutes before it "
        "starts until it ends. Cancelled sessions: {count}."
    ).format(count=translator.number(figures.cancelled_sessions))
    if len(figures.sessions) > CHART_SESSIONS:
        session_note += " " + _("The chart shows the {count} most attended sessions.").format(count=CHART_SESSIONS)
    tables.append(
        Table(
            "seminars", _("Seminars held and their attendance"),
            (
                _("Session"), _("Starts"), _("Room"), _("Capacity"), _("Registrations"), _("Attendance"),
                _("Fill rate (%)"),
            ),
            tuple(session_rows), session_chart, numeric=(3, 4, 5, 6),
            note=session_note,
        )
    )  # fmt: skip
    return tables


def _short(text: str, length: int = 42) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


KeyFigure = tuple[str, int | float | str, float | None]


def key_figures(figures: ImpactFigures, translator: Translator) -> list[KeyFigure]:
    """The key figures on the first page: (label, value, share in per cent or None). The one
    figure we do not hold (partnership agreements) is a sentence, never a number."""
    _ = translator.gettext
    return [
        (_("Exhibitors"), figures.exhibitors, None),
        (_("Women-led organizations"), figures.women_led, _percent(figures.women_led, figures.exhibitors)),
        (_("Youth-led organizations"), figures.youth_led, _percent(figures.youth_led, figures.exhibitors)),
        (_("Regions represented"), len(figures.by_region), None),
        (_("Stands allocated"), figures.stands, None),
        (_("Area allocated (m²)"), figures.area_m2, None),
        (_("Registered visitors"), figures.registered, None),
        (_("Visitors who came"), figures.came, _percent(figures.came, figures.registered)),
        (_("Seminar sessions held"), len(figures.sessions), None),
        (_("Seminar attendance"), sum(s.attended for s in figures.sessions), None),
        (_("Partnership agreements signed"), _("Not recorded in this edition"), None),
    ]


def summary(figures: ImpactFigures, translator: Translator) -> list[tuple[str, str]]:
    """The key figures as the PDF prints them: "2 (40 %)"."""
    lines = []
    for label, value, share in key_figures(figures, translator):
        shown = value if isinstance(value, str) else translator.number(value)
        lines.append((label, shown if share is None else f"{shown} ({translator.number(share)} %)"))
    return lines


def format_cell(value: Cell, translator: Translator) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0#", locale=translator.locale)
    return translator.number(value)


def report_html(figures: ImpactFigures, *, language: str, tables: Sequence[Table] | None = None) -> str:
    """The document's HTML: what the PDF shows, for a test or a person to read. The charts
    are images at CHART_URL, which ``report_pdf`` serves from ``tables``."""
    translator = Translator(language)
    template = document_environment().get_template(TEMPLATE)
    period = _period(figures.starts_on, figures.ends_on, translator)
    return template.render(
        lang=language,
        dir=translator.direction,
        _=translator.gettext,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        title=figures.title(language),
        period=period,
        generated=_moment(figures, translator),
        summary=summary(figures, translator),
        tables=report_tables(figures, translator) if tables is None else tables,
        chart_url=CHART_URL,
        cell=lambda value: format_cell(value, translator),
        partnerships=translator.gettext(PARTNERSHIPS_ABSENT),
    )


def _moment(figures: ImpactFigures, translator: Translator) -> str:
    """When the figures were read, in the exhibition's time zone: "1 juin 2027, 10:00"."""
    local = figures.generated_at.astimezone(ZoneInfo(figures.time_zone))
    comma = "،" if translator.language == "ar" else ","  # the Arabic comma on Arabic pages
    return f"{translator.date(local.date(), 'long')}{comma} {translator.time(local.time())}"


def _period(starts_on: date, ends_on: date, translator: Translator) -> str:
    return translator.gettext("{start} to {end}").format(
        start=translator.date(starts_on, "long"), end=translator.date(ends_on, "long")
    )


def report_pdf(figures: ImpactFigures, *, language: str) -> bytes:
    """Blocks for the time of the render: call ``render_report_pdf`` from the event loop."""
    translator = Translator(language)
    tables = report_tables(figures, translator)
    html = report_html(figures, language=language, tables=tables)
    # WeasyPrint as in documents.html_to_pdf, with the charts served from memory.
    from weasyprint import HTML

    charts = {table.key: table.chart for table in tables if table.chart}
    base_url = STATIC_DIR.resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=_with_charts(charts))
    pdf: bytes = document.write_pdf()
    return pdf


CHART_URL = "file:///impact-report/charts/"


def _with_charts(charts: dict[str, bytes]) -> Any:
    """The house's fetcher (templates/ and static/ only), answering also CHART_URL + key +
    ".png" from ``charts``: no chart is written to disk, nothing else becomes readable."""
    from weasyprint.urls import URLFetcherResponse

    fetcher = local_resources()

    class ChartsFirst(type(fetcher)):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            key = url.removeprefix(CHART_URL).removesuffix(".png")
            if url.startswith(CHART_URL) and url.endswith(".png") and key in charts:
                return URLFetcherResponse(url, body=charts[key], headers={"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return ChartsFirst(fetcher.roots)


async def render_report_pdf(figures: ImpactFigures, *, language: str) -> bytes:
    """The PDF, rendered in a worker thread, one document at a time per process."""
    return await render_in_thread(report_pdf, figures, language=language)


def table_keys(tables: Sequence[Table]) -> list[str]:
    return [table.key for table in tables]
