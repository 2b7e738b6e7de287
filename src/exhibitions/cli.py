"""The ``exhibitions`` command."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click

from exhibitions.db import Database
from exhibitions.errors import ExhibitionsError, InvalidInput
from exhibitions.settings import Settings

T = TypeVar("T")


def _run(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work`` with the database open, and turn our errors into a clean message."""

    async def main() -> T:
        async with Database(settings).running() as database:
            return await work(database)

    try:
        return asyncio.run(main())
    except InvalidInput as exc:
        for error in exc.errors:
            click.secho(f"error: {error.field}: {error.reason}", fg="red", err=True)
        sys.exit(2)
    except ExhibitionsError as exc:
        click.secho(f"error: {exc.detail}", fg="red", err=True)
        sys.exit(2)


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Run national and regional exhibitions."""
    try:
        context.obj = Settings.from_env()
    except ExhibitionsError as exc:
        raise click.ClickException(exc.detail) from None


@main.command()
@click.pass_obj
def migrate(settings: Settings) -> None:
    """Apply the pending database migrations."""
    from exhibitions.migrations import apply_migrations

    applied = _run(
        settings, lambda db: apply_migrations(db.engine, on_applied=lambda name: click.echo(f"  applied {name}"))
    )
    click.echo(f"Database is up to date ({len(applied)} migration(s) applied).")


@main.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """Load the demo exhibitions and the demo organizer (safe to run twice)."""
    from exhibitions.clock import utcnow
    from exhibitions.demo import DEMO_EXHIBITOR_EMAIL, DEMO_EXHIBITOR_PASSWORD, load_demo

    if settings.is_production:
        raise click.ClickException("demo data is for development; EXHIBITIONS_ENV is production")
    result = _run(settings, lambda _: load_demo(now=utcnow()))
    existing = len(result.slugs) - len(result.created)
    click.echo(f"Demo data: {len(result.created)} exhibition(s) created, {existing} already there.")
    for slug in result.slugs:
        click.echo(f"  {settings.base_url}/exhibitions/{slug}")
    click.echo(f"Past edition's dashboard: {settings.base_url}/organize/exhibitions/{result.past_slug}/dashboard")
    click.echo(f"Demo organizer: {result.organizer_email} / {result.organizer_password}")
    click.echo(f"Demo exhibitor: {DEMO_EXHIBITOR_EMAIL} / {DEMO_EXHIBITOR_PASSWORD}")


@main.command("create-organizer")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--password", envvar="EXHIBITIONS_NEW_PASSWORD", help="Default: asked on the terminal.")
@click.pass_obj
def create_organizer(settings: Settings, email: str, name: str, password: str | None) -> None:
    """Create an organizer of every exhibition."""
    from exhibitions.accounts.services import create_organizer as create
    from exhibitions.clock import utcnow

    if password is None:
        password = getpass.getpass("Password (10 characters or more): ")
    user_id = _run(settings, lambda _: create(email=email, password=password, display_name=name, now=utcnow()))
    click.echo(f"Organizer {email} created (user {user_id}).")


@main.command("create-token")
@click.argument("email")
@click.option("--name", default="cli", help="What the token is for.")
@click.pass_obj
def create_token(settings: Settings, email: str, name: str) -> None:
    """Create a personal API token for a user and print it once."""
    from exhibitions.accounts.queries import find_user_by_email
    from exhibitions.accounts.services import issue_token
    from exhibitions.accounts.tables import TokenKind
    from exhibitions.clock import utcnow
    from exhibitions.errors import NotFound

    async def work(_: Database) -> str:
        user = await find_user_by_email(email)
        if user is None:
            raise NotFound(f"no user with e-mail {email}")
        _token_id, secret = await issue_token(user_id=user["id"], kind=TokenKind.personal, name=name, now=utcnow())
        return secret

    click.echo(_run(settings, work))


@main.command("deliver-mail")
@click.option("--loop", is_flag=True, help="Keep delivering at the deliver_mail interval of schedules/ticks.toml.")
@click.option("--retry-failed", is_flag=True, help="First give the failed messages a fresh set of attempts.")
@click.pass_obj
def deliver_mail(settings: Settings, loop: bool, retry_failed: bool) -> None:
    """Send the due e-mails of the outbox once (or, with --loop, until interrupted)."""
    from exhibitions.clock import utcnow
    from exhibitions.notifications import jobs, services
    from exhibitions.scheduler import read_ticks

    try:
        ticks = read_ticks()
    except ExhibitionsError as exc:
        raise click.ClickException(exc.detail) from None
    # A deliver_mail on a cron line has no interval: the loop then keeps the default.
    every = next((tick.every_seconds for tick in ticks if tick.job == "deliver_mail" and tick.every_seconds), 5.0)

    async def work(_: Database) -> None:
        if retry_failed:
            click.echo(f"{await services.retry_failed(now=utcnow())} failed message(s) queued again.")
        while True:
            report = await jobs.deliver_mail(settings)
            if report.claimed or not loop:
                click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
            if not loop:
                return
            await asyncio.sleep(every)

    try:
        _run(settings, work)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command("scheduler")
@click.option(
    "--ticks",
    "ticks_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The ticks file (default: schedules/ticks.toml).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every tick.")
@click.pass_obj
def scheduler_command(settings: Settings, ticks_file: Path | None, verbose: bool) -> None:
    """Tick the scheduled work (schedules/ticks.toml) in this process until SIGTERM or Ctrl-C.

    For deployments with several web workers: set EXHIBITIONS_SCHEDULER=off on them and run
    this once or more; one process ticks at a time (PostgreSQL advisory lock, or a lock file
    beside a SQLite database), the others wait and take over within seconds."""
    import logging
    import signal

    from exhibitions import scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    if verbose:
        logging.getLogger("exhibitions.scheduler").setLevel(logging.DEBUG)
    try:
        ticks = scheduler.read_ticks(ticks_file) if ticks_file else scheduler.read_ticks()
    except ExhibitionsError as exc:
        raise click.ClickException(exc.detail) from None

    async def work(_: Database) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signal_number, stop.set)
        async with scheduler.running(settings, ticks):
            await stop.wait()
            logging.getLogger("exhibitions.scheduler").info("stopping: letting running ticks finish")

    _run(settings, work)
    click.echo("scheduler stopped")


@main.command("mail-status")
@click.pass_obj
def mail_status(settings: Settings) -> None:
    """Count the outbox's messages by status and show the latest failures."""
    from exhibitions.notifications import queries

    async def work(_: Database) -> tuple[dict[str, int], list[dict[str, object]]]:
        return await queries.count_by_status(), await queries.list_failures()

    counts, failures = _run(settings, work)
    click.echo("  ".join(f"{status} {count}" for status, count in counts.items()))
    for row in failures:
        click.echo(
            f"failed #{row['id']} {row['rule']} {row['subject_key']} to {row['recipient']}"
            f" after {row['attempts']} attempt(s): {row['last_error']}"
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Web processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the site and the API (and, with EXHIBITIONS_SCHEDULER=inline, deliver mail)."""
    import uvicorn

    click.echo(f"Serving on http://{host}:{port}/  (API: /api/v1/exhibitions, docs: /schema)")
    uvicorn.run(
        "exhibitions.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        access_log=False,
        log_level="info",
    )


@main.group("import")
def import_group() -> None:
    """Import data from spreadsheets."""


@import_group.command("organizations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option(
    "--errors-csv",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the bad rows, with a Reason column, to this CSV to fix them in a spreadsheet.",
)
@click.pass_obj
def import_organizations(settings: Settings, file: Path, dry_run: bool, errors_csv: Path | None) -> None:
    """Import organizations from a CSV or XLSX FILE (see docs/guide-import.md).

    Exit status: 0 when every row was good, 1 when some rows were bad (the good ones are
    imported), 2 when the file could not be read at all.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from exhibitions.clock import utcnow
    from exhibitions.exhibitors import services
    from exhibitions.spreadsheets import csv_bytes

    console = Console(highlight=False)
    data = file.read_bytes()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=not console.is_terminal,
    ) as progress:  # fmt: skip
        task = progress.add_task("checking" if dry_run else "importing", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = _run(
            settings,
            lambda _: services.import_organizations(
                data=data, actor=services.COMMAND_LINE, now=utcnow(), dry_run=dry_run, on_progress=advance
            ),
        )
    summary = Table(title=f"{file.name} ({report.encoding})")
    for heading in ("rows", "created", "updated", "unchanged", "bad"):
        summary.add_column(heading, justify="right")
    summary.add_row(*(str(n) for n in (report.rows, report.created, report.updated, report.unchanged, report.bad)))
    console.print(summary)
    if dry_run:
        console.print("dry run: nothing was written")
    if report.ignored_columns:
        console.print(f"columns ignored: {', '.join(report.ignored_columns)}")
    if report.errors:
        bad_rows = Table(title="bad rows")
        for heading in ("row", "column", "field", "reason"):
            bad_rows.add_column(heading)
        for bad in report.errors:
            bad_rows.add_row(str(bad.row), bad.column, bad.field, bad.reason)
        console.print(bad_rows)
    if errors_csv is not None:
        reasons: dict[int, list[str]] = {}
        for bad in report.errors:
            reasons.setdefault(bad.row, []).append(f"{bad.column or bad.field}: {bad.reason}")
        rows = [
            [number, *cells, "; ".join(reasons.get(number, []))] for number, cells in sorted(report.bad_cells.items())
        ]
        errors_csv.write_bytes(csv_bytes(["Row", *report.headers, "Reason"], rows))
        console.print(f"bad rows written to {errors_csv}")
    sys.exit(1 if report.bad else 0)


@main.command()
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Compute and print the proposal; store nothing.")
@click.option(
    "--time-limit", type=float, default=None, help="Seconds the solver may take (default: the exhibition's rules)."
)
@click.pass_obj
def allocate(settings: Settings, slug: str, dry_run: bool, time_limit: float | None) -> None:
    """Compute a stand allocation proposal for the exhibition SLUG and print its summary.

    The exhibition's saved allocation rules apply. Without --dry-run the proposal is stored
    as a draft for the organizers to review and accept on the allocation page or through the
    API: this command never accepts it."""
    from exhibitions.clock import utcnow
    from exhibitions.exhibitors.services import COMMAND_LINE
    from exhibitions.stands import services

    overrides = {"time_limit_s": time_limit} if time_limit is not None else {}
    proposal = _run(
        settings,
        lambda _: services.compute_proposal(
            slug=slug, overrides=overrides, actor=COMMAND_LINE, now=utcnow(), store=not dry_run
        ),
    )
    click.echo(
        f"placed: {len(proposal['assignments'])}  unplaced: {len(proposal['unplaced'])}  "
        f"objective: {proposal['objective']}  gap: {proposal['gap']:.2%}  ({proposal['solver_status']}, "
        f"{proposal['seconds']:.2f} s)"
    )
    for goal, points in proposal["breakdown"].items():
        click.echo(f"  {goal}: {points}")
    for item in proposal["unplaced"]:
        click.echo(f"unplaced: application {item['application_id']} {item['name']}: {item['reason']}")
    if dry_run:
        click.echo("dry run: nothing was stored")
    else:
        click.echo(f"stored as draft proposal {proposal['id']}: review and accept it; nothing was assigned yet")


@main.command()
@click.argument("slug")
@click.option(
    "--role",
    type=click.Choice(["exhibitor_staff", "exhibitor", "speaker", "moderator", "organizer", "staff", "press", "vip"]),
    help="Only this role (exhibitor is short for exhibitor_staff). Default: every role.",
)
@click.option("--organization", type=click.IntRange(min=1), help="Only the badges of this organization id.")
@click.option("--new", "new_only", is_flag=True, help="Only the badges in no batch yet.")
@click.option("--size", type=click.Choice(["a6", "label"]), default="a6", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also copy the PDF here (it is kept under EXHIBITIONS_DATA_DIR/badges either way).",
)
@click.option("--sync", is_flag=True, help="First add badges for the programme's speakers and the organizers.")
@click.pass_obj
def badges(
    settings: Settings,
    slug: str,
    role: str | None,
    organization: int | None,
    new_only: bool,
    size: str,
    output: Path | None,
    sync: bool,
) -> None:
    """Print a batch of badges of the exhibition SLUG now: the same batch the organizers'
    page makes, rendered here with a progress bar instead of by the scheduler."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from exhibitions.badges import services
    from exhibitions.badges.schemas import BatchIn
    from exhibitions.clock import utcnow
    from exhibitions.exhibitors.services import COMMAND_LINE

    console = Console(highlight=False)
    choice = BatchIn(
        role="exhibitor_staff" if role == "exhibitor" else role,  # type: ignore[arg-type]
        organization_id=organization, new_only=new_only, size=size,  # type: ignore[arg-type]
    )  # fmt: skip
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=not console.is_terminal,
    ) as progress:  # fmt: skip
        task = progress.add_task("badges", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        async def work(_: Database) -> services.RenderedBatch:
            if sync:
                report = await services.sync_holders(slug=slug, actor=COMMAND_LINE, now=utcnow())
                console.print(f"added by sync: {report.total}")
            batch = await services.create_batch(slug=slug, data=choice, actor=COMMAND_LINE, now=utcnow())
            claimed = await services.claim_batch(now=utcnow(), batch_id=batch["id"])
            if claimed is None:  # a scheduler took it first: it renders it
                return services.RenderedBatch(batch["id"], "queued", batch["total"], None, None)
            return await services.render_claimed_batch(
                claimed, base_url=settings.base_url, data_dir=settings.data_dir, on_progress=advance
            )

        result = _run(settings, work)
    if result.status != "done" or result.path is None:
        click.secho(f"batch {result.batch_id}: {result.status} {result.error}".rstrip(), fg="red", err=True)
        sys.exit(1)
    if output is not None:
        output.write_bytes(result.path.read_bytes())
    console.print(
        f"batch {result.batch_id}: {result.total} badge(s), {result.page_count} page(s): {output or result.path}"
    )


@main.command()
@click.argument("slug")
@click.option(
    "--language", type=click.Choice(["ar", "fr", "en"]), default="fr", show_default=True,
    help="The report's language.",
)  # fmt: skip
@click.option(
    "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
    help="Where to write it (default: SLUG-impact-report-LANGUAGE.pdf or .xlsx here).",
)  # fmt: skip
@click.option("--xlsx", is_flag=True, help="Write the report's tables as an XLSX workbook instead of the PDF.")
@click.pass_obj
def report(settings: Settings, slug: str, language: str, output: Path | None, xlsx: bool) -> None:
    """Write the impact report of the exhibition SLUG: exhibitors, women-led and youth-led
    organizations against the quotas, stands and area per region, visitors, seminars."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from exhibitions.analytics.impact import reports
    from exhibitions.clock import utcnow
    from exhibitions.exhibitors.services import COMMAND_LINE

    steps = {"figures": "Reading the figures", "render": "Drawing the charts and laying out the report"}
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task("Starting", total=len(steps))

        def on_step(name: str) -> None:
            if progress.tasks[task].description != "Starting":
                progress.advance(task)
            progress.update(task, description=steps[name])

        file = _run(
            settings,
            lambda _: reports.impact_report(
                slug=slug, actor=COMMAND_LINE, language=language, fmt="xlsx" if xlsx else "pdf", now=utcnow(),
                on_step=on_step,
            ),
        )  # fmt: skip
    target = output or Path(file.filename)
    target.write_bytes(file.content)
    click.echo(f"wrote {target} ({len(file.content):,} bytes)")
