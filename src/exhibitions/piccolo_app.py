"""The ONE Piccolo app: every domain's tables, and one migration history for all of them."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from exhibitions.accounts.tables import AccessToken, Role, User
from exhibitions.analytics.calendar_tables import CalendarMark
from exhibitions.analytics.tables import (
    AttendanceDay,
    AttendanceHour,
    AttendanceRollupState,
    AttendanceShare,
    AttendanceStep,
    AttendanceVisitor,
)
from exhibitions.badges.tables import BadgeBatch, BadgeBatchItem, BadgeHolder, BadgeQuota
from exhibitions.events.tables import Exhibition, Hall, OpeningException, Venue
from exhibitions.exhibitors.review_tables import ReviewProposal, ReviewQuota, ReviewSettings, ReviewWaitlist
from exhibitions.exhibitors.tables import (
    Application,
    ApplicationEvent,
    Organization,
    OrganizationMember,
    Product,
    ProductPhoto,
)
from exhibitions.notifications.tables import Outbox
from exhibitions.seminars.attendance_tables import ProgrammeVersion, SessionPlaces, SessionRegistration, SessionStar
from exhibitions.seminars.certificate_tables import SeminarCertificate
from exhibitions.seminars.speaker_tables import SpeakerLink
from exhibitions.seminars.tables import (
    PersonAvailability,
    ProgrammeSettings,
    SeminarPerson,
    SeminarRoom,
    SeminarSession,
    SeminarTrack,
    SessionPerson,
)
from exhibitions.stands.tables import AllocationProposal, AllocationRules, Stand, StandAssignment
from exhibitions.tickets.tables import Admission, Checkpoint, DeviceEnrolment, Scan, SigningKey, Ticket

TABLES = [
    Venue,
    Hall,
    Exhibition,
    OpeningException,
    User,
    Role,
    AccessToken,
    SigningKey,
    Ticket,
    Checkpoint,
    Admission,
    Scan,
    DeviceEnrolment,
    Outbox,
    Organization,
    OrganizationMember,
    Application,
    ApplicationEvent,
    Product,
    ProductPhoto,
    ReviewSettings,
    ReviewQuota,
    ReviewProposal,
    ReviewWaitlist,
    Stand,
    StandAssignment,
    AllocationProposal,
    AllocationRules,
    SeminarRoom,
    SeminarTrack,
    SeminarPerson,
    PersonAvailability,
    SeminarSession,
    SessionPerson,
    ProgrammeSettings,
    SpeakerLink,
    SeminarCertificate,
    SessionStar,
    SessionPlaces,
    SessionRegistration,
    ProgrammeVersion,
    BadgeHolder,
    BadgeQuota,
    BadgeBatch,
    BadgeBatchItem,
    CalendarMark,
    AttendanceHour,
    AttendanceDay,
    AttendanceStep,
    AttendanceVisitor,
    AttendanceShare,
    AttendanceRollupState,
]

APP_CONFIG = AppConfig(
    app_name="exhibitions",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
