"""The only wiring file: ``create_app()`` builds the Litestar application."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, MediaType, Request, get
from litestar.config.csrf import CSRFConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from exhibitions import scheduler
from exhibitions.accounts.api import TokenApiController
from exhibitions.accounts.guards import AuthenticationMiddleware
from exhibitions.accounts.pages import LoginPagesController, SignupPagesController
from exhibitions.analytics.api import AnalyticsApiController
from exhibitions.analytics.impact.api import ImpactReportApiController
from exhibitions.analytics.impact.pages import ImpactReportPagesController
from exhibitions.analytics.pages import AnalyticsPagesController
from exhibitions.badges.api import BadgeApiController
from exhibitions.badges.pages import BadgePagesController, LeadPagesController, PortalBadgePagesController
from exhibitions.db import Database
from exhibitions.events.api import ExhibitionApiController, RegionApiController
from exhibitions.events.pages import OrganizerPagesController, PublicPagesController
from exhibitions.events.tables import Exhibition
from exhibitions.exhibitors.api import ApplicationApiController, OrganizationApiController
from exhibitions.exhibitors.directory_api import DirectoryApiController
from exhibitions.exhibitors.directory_pages import DirectoryPagesController, ProductPagesController
from exhibitions.exhibitors.import_api import OrganizationImportApiController
from exhibitions.exhibitors.import_pages import ImportPagesController
from exhibitions.exhibitors.organize_pages import OrganizerApplicationPagesController
from exhibitions.exhibitors.portal_pages import PortalPagesController
from exhibitions.exhibitors.products_api import ProductApiController
from exhibitions.exhibitors.review_api import ReviewApiController
from exhibitions.exhibitors.review_pages import ReviewPagesController
from exhibitions.notifications import services as notification_services
from exhibitions.notifications.outbox_pages import OutboxPagesController
from exhibitions.notifications.pages import ReminderPagesController
from exhibitions.paths import STATIC_DIR, TEMPLATES_DIR
from exhibitions.seminars.api import SeminarApiController
from exhibitions.seminars.export_api import ProgrammeExportApiController
from exhibitions.seminars.export_pages import OrganizerProgrammeFilesController, ProgrammeFilesController
from exhibitions.seminars.pages import ProgrammePagesController
from exhibitions.seminars.public_api import ProgrammeApiController, ProgrammeVersionApiController
from exhibitions.seminars.public_pages import ProgrammeOrganizerPagesController, PublicProgrammePagesController
from exhibitions.seminars.speaker_api import SpeakerApiController
from exhibitions.seminars.speaker_pages import SpeakerPagesController
from exhibitions.settings import Settings
from exhibitions.stands.allocation_pages import AllocationPagesController
from exhibitions.stands.api import StandApiController
from exhibitions.stands.pages import StandPagesController
from exhibitions.stands.plan_pages import HallPlanController
from exhibitions.tickets.api import (
    CheckInApiController,
    DeviceApiController,
    ScannerApiController,
    TicketApiController,
)
from exhibitions.tickets.pages import (
    GatePagesController,
    ScannerPageController,
    TicketPagesController,
    VisitorPagesController,
)
from exhibitions.web.errors import handle_exception

__version__ = "0.1.0"

SWAGGER = "/static/vendor/swagger-ui"


@get("/healthz", include_in_schema=False, media_type=MediaType.JSON)
async def healthz() -> dict[str, str]:
    """Liveness and database reachability, for load balancers."""
    await Exhibition.count()
    return {"status": "ok"}


def _configure_jinja(engine: JinjaTemplateEngine) -> None:
    engine.engine.add_extension("jinja2.ext.i18n")
    engine.engine.trim_blocks = True
    engine.engine.lstrip_blocks = True


# Writes anyone may make without an account: registration, sign-up, login, token creation.
_PUBLIC_WRITES = re.compile(
    r"^/(api/v1/exhibitions/[^/]+/(tickets|groups)|exhibitions/[^/]+/register(/group)?|login|signup|api/v1/auth/tokens|api/v1/devices/enrol)$"
)


def _public_rate_limit(per_minute: int) -> RateLimitConfig:
    """Per client address and process (the store is in memory): several workers each allow
    this many. A venue's Wi-Fi puts many visitors behind one address, so keep it generous."""

    def throttled(request: Request[Any, Any, Any]) -> bool:
        return request.method == "POST" and _PUBLIC_WRITES.match(request.url.path) is not None

    return RateLimitConfig(rate_limit=("minute", per_minute), check_throttle_handler=throttled)


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> Litestar:
    """Build the app. ``database`` lets a test share one engine with the app; by default the
    app opens its own in its lifespan, after the server has forked its workers."""
    settings = settings or Settings.from_env()
    settings.check()
    # A bad reminder rule stops the start-up here, naming the file, the line and the field.
    notification_services.configured_rules()
    db = database or Database(settings)

    @asynccontextmanager
    async def database_lifespan(_: Litestar) -> AsyncIterator[None]:
        if database is not None:
            yield
            return
        async with db.running():
            yield

    @asynccontextmanager
    async def scheduler_lifespan(_: Litestar) -> AsyncIterator[None]:
        # After the database lifespan, so ticks stop before the database closes.
        if settings.scheduler != "inline":
            yield
            return
        async with scheduler.running(settings):
            yield

    openapi = OpenAPIConfig(
        title="Exhibitions API",
        version=__version__,
        description="National and regional exhibitions of the social and solidarity economy. "
        "Errors are RFC 9457 problem details (application/problem+json) naming each bad field.",
        path="/schema",
        render_plugins=[
            SwaggerRenderPlugin(
                js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                css_url=f"{SWAGGER}/swagger-ui.css",
                standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' type='image/png' href='{SWAGGER}/favicon-32x32.png'>",
                path="/",
            )
        ],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(
                    type="http", scheme="bearer", description="A personal token from POST /api/v1/auth/tokens"
                )
            }
        ),
    )
    middleware = [DefineMiddleware(AuthenticationMiddleware, exclude=["^/static/", "^/schema", "^/healthz"])]
    if settings.public_rate_limit > 0:
        middleware.insert(0, _public_rate_limit(settings.public_rate_limit).middleware)
    logging.basicConfig(level=logging.INFO)
    app = Litestar(
        route_handlers=[
            healthz,
            ExhibitionApiController,
            RegionApiController,
            TokenApiController,
            TicketApiController,
            CheckInApiController,
            ScannerApiController,
            DeviceApiController,
            OrganizationApiController,
            ApplicationApiController,
            ProductApiController,
            DirectoryApiController,
            OrganizationImportApiController,
            ReviewApiController,
            StandApiController,
            SpeakerApiController,
            SeminarApiController,
            ProgrammeApiController,
            ProgrammeVersionApiController,
            ReviewPagesController,
            StandPagesController,
            AllocationPagesController,
            ProgrammePagesController,
            PublicPagesController,
            OrganizerPagesController,
            LoginPagesController,
            SignupPagesController,
            PortalPagesController,
            OrganizerApplicationPagesController,
            TicketPagesController,
            GatePagesController,
            ScannerPageController,
            VisitorPagesController,
            DirectoryPagesController,
            ProductPagesController,
            ImportPagesController,
            HallPlanController,
            SpeakerPagesController,
            ProgrammeExportApiController,
            ProgrammeFilesController,
            OrganizerProgrammeFilesController,
            ReminderPagesController,
            PublicProgrammePagesController,
            ProgrammeOrganizerPagesController,
            BadgeApiController,
            BadgePagesController,
            PortalBadgePagesController,
            LeadPagesController,
            OutboxPagesController,
            AnalyticsApiController,
            ImpactReportApiController,
            ImpactReportPagesController,
            AnalyticsPagesController,
            create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
        ],
        lifespan=[database_lifespan, scheduler_lifespan],
        middleware=middleware,
        request_max_body_size=settings.max_body_bytes,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            exclude=["/api/", "/schema", "/static/", "/healthz"],
            cookie_secure=settings.is_production,
            cookie_samesite="lax",
        ),
        template_config=TemplateConfig(
            directory=TEMPLATES_DIR, engine=JinjaTemplateEngine, engine_callback=_configure_jinja
        ),
        openapi_config=openapi,
        exception_handlers={Exception: handle_exception},
        debug=False,
    )
    app.state.settings = settings
    app.state.database = db
    return app


def app_factory() -> Any:
    """For servers that import a factory: ``uvicorn --factory exhibitions.app:app_factory``."""
    app = create_app()
    # What is built so far lives as long as the process: keep it out of the cyclic
    # collector's full passes, which paused the event loop 50-70 ms each, several times a
    # second under check-in load (the p99; docs/benchmarks.md).
    gc.freeze()
    return app
