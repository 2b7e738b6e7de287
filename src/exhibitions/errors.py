"""The one error tree of the system.

Services raise these; ``web/errors.py`` maps them to HTTP in one place (RFC 9457 problem
details for the API, a friendly page in the visitor's language for the site)::

    ExhibitionsError                 any failure the system explains to its user
    ├── ConfigurationError           settings that cannot work (raised at start-up)
    ├── NotAuthenticated             401: who you are is unknown or your token is dead
    ├── PermissionDenied             403: you are known, and may not do this
    ├── NotFound                     404: no such thing (or you may not know it exists)
    ├── Conflict                     409: the request is fine but the state forbids it
    │   ├── DuplicateValue           a unique value is already taken (slug, e-mail)
    │   ├── InvalidTransition        a status change that the workflow forbids
    │   ├── StandOverlap             a stand would overlap another on the hall's plan
    │   ├── StandTaken               every seat of the stand is assigned already
    │   └── ScheduleConflict         a session would clash (seminars/services/_programme.py)
    ├── InvalidInput                 400/422: bad fields, each named in ``errors``
    │   └── MalformedBody            400: the body is not parseable at all
    └── DatabaseBusy                 503: the database stayed locked; retry shortly

Later domains add leaves under Conflict (StandTaken, CapacityReached, ScheduleConflict).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One bad field: ``field`` is a dotted path into the input, ``code`` is stable for
    programs, ``reason`` is an English sentence for people (pages translate ``code``)."""

    field: str
    code: str
    reason: str


class ExhibitionsError(Exception):
    status_code = 500
    problem = "error"
    title = "Something went wrong"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.title
        super().__init__(self.detail)

    def problem_extensions(self, translator: Any) -> dict[str, Any]:
        """Members a problem document adds beside ``errors`` (RFC 9457 extensions), said
        with ``translator`` (a ``web.i18n.Translator``) where they hold messages."""
        return {}


class ConfigurationError(ExhibitionsError):
    problem = "configuration"
    title = "The configuration is invalid"


class NotAuthenticated(ExhibitionsError):
    status_code = 401
    problem = "not-authenticated"
    title = "Authentication required"


class PermissionDenied(ExhibitionsError):
    status_code = 403
    problem = "permission-denied"
    title = "You may not do this"


class NotFound(ExhibitionsError):
    status_code = 404
    problem = "not-found"
    title = "Not found"


class Conflict(ExhibitionsError):
    status_code = 409
    problem = "conflict"
    title = "The request conflicts with the current state"

    def __init__(self, detail: str | None = None, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []


class DuplicateValue(Conflict):
    problem = "duplicate-value"
    title = "This value is already taken"


class InvalidTransition(Conflict):
    problem = "invalid-transition"
    title = "This status change is not allowed"


class StandOverlap(Conflict):
    problem = "stand-overlap"
    title = "The stand overlaps another stand"


class StandTaken(Conflict):
    problem = "stand-taken"
    title = "Every seat of this stand is assigned already"


class InvalidInput(ExhibitionsError):
    status_code = 422
    problem = "invalid-input"
    title = "Some fields are invalid"

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        super().__init__(detail or "; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, code: str, reason: str) -> InvalidInput:
        return cls([FieldError(field=field, code=code, reason=reason)])


class DatabaseBusy(ExhibitionsError):
    status_code = 503
    problem = "database-busy"
    title = "The database is busy; try again in a moment"


class MalformedBody(InvalidInput):
    status_code = 400
    problem = "malformed-body"
    title = "The request body could not be read"
