"""The one place where errors become HTTP: RFC 9457 problem details under ``/api``, a
friendly page in the visitor's language everywhere else."""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import ClientException, HTTPException, SerializationException, ValidationException
from litestar.response import Redirect

from exhibitions.accounts.guards import API_PREFIX
from exhibitions.errors import DatabaseBusy, ExhibitionsError, FieldError, InvalidInput, MalformedBody, NotAuthenticated
from exhibitions.web.context import page, translator_for
from exhibitions.web.i18n import N_

logger = logging.getLogger("exhibitions")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "urn:exhibitions:problem:"

_HTTP_PROBLEMS = {
    400: ("bad-request", "Bad request"),
    401: ("not-authenticated", "Authentication required"),
    403: ("permission-denied", "You may not do this"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "The request conflicts with the current state"),
    413: ("too-large", "The request is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("too-many-requests", "Too many requests"),
}

PAGE_MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please log in to continue."),
    403: N_("You are not allowed to see this page."),
    404: N_("This page does not exist, or it has moved."),
    405: N_("This page cannot be used that way."),
    409: N_("This change conflicts with another one. Reload the page and try again."),
    413: N_("What you sent is too large: choose a smaller file and try again."),
    422: N_("Some fields need your attention."),
    500: N_("Something went wrong on our side. Please try again in a moment."),
    503: N_("The service is busy. Please try again in a moment."),
}

# msgspec: "Expected `str`, got `int` - at `$.title_ar`" / "Object missing required field `slug`"
_AT_PATH = re.compile(r"^(?P<reason>.*?) - at `\$(?P<path>[^`]*)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`(?: - at `\$(?P<path>[^`]*)`)?$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`(?: - at `\$(?P<path>[^`]*)`)?$")


def _dotted(path: str | None, field: str | None = None) -> str:
    parts = (path or "").lstrip(".")
    if field:
        parts = f"{parts}.{field}" if parts else field
    return parts or "body"


def field_errors_from_validation(exc: ValidationException) -> list[FieldError]:
    """Name each bad field of Litestar's (msgspec's) validation error."""
    errors: list[FieldError] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        key = item.get("key")
        if match := _MISSING.match(message):
            errors.append(FieldError(_dotted(match["path"], match["field"]), "required", "is required"))
        elif match := _UNKNOWN.match(message):
            errors.append(FieldError(_dotted(match["path"], match["field"]), "unknown_field", "is not a known field"))
        elif match := _AT_PATH.match(message):
            errors.append(FieldError(_dotted(match["path"]), "invalid", match["reason"]))
        elif key not in (None, "", "data", "body"):
            errors.append(FieldError(str(key), "invalid", message))
        else:
            errors.append(FieldError("body", "invalid", message))
    return errors or [FieldError("body", "invalid", exc.detail or "invalid body")]


def _problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    problem: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + problem if problem != "about:blank" else problem,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [{"field": e.field, "code": e.code, "reason": e.reason} for e in errors]
    body.update(extensions or {})
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _raised_reading_the_request(exc: BaseException) -> bool:
    """True when the error came from Litestar turning the request into arguments (the
    client's bytes), not from our code (a bug, which stays a 500)."""
    frame = exc.__traceback__
    while frame is not None:
        name = frame.tb_frame.f_code.co_filename.replace("\\", "/")
        if "litestar/_multipart" in name or "litestar/_kwargs" in name:
            return True
        frame = frame.tb_next
    return False


def _classify(exc: Exception) -> tuple[int, str, str, str, list[FieldError], dict[str, str] | None]:
    """(status, problem, title, detail, errors, headers) for any exception."""
    if isinstance(exc, DatabaseBusy):
        return exc.status_code, exc.problem, exc.title, exc.detail, [], {"Retry-After": "1"}
    if isinstance(exc, ExhibitionsError):
        errors = getattr(exc, "errors", []) or []
        return exc.status_code, exc.problem, exc.title, exc.detail, errors, None
    if isinstance(exc, ValidationException):
        errors = field_errors_from_validation(exc)
        detail = "; ".join(f"{e.field}: {e.reason}" for e in errors)
        return 422, InvalidInput.problem, InvalidInput.title, detail, errors, None
    if isinstance(exc, ClientException) and isinstance(exc.__cause__, SerializationException):
        errors = [FieldError("body", "malformed_json", exc.detail)]
        return 400, MalformedBody.problem, MalformedBody.title, exc.detail, errors, None
    if isinstance(exc, UnicodeDecodeError) and _raised_reading_the_request(exc):
        # Litestar decodes a multipart form's plain fields as UTF-8 and lets the error through.
        reason = "a form field is not UTF-8 text (send files as files, with a filename)"
        return 400, MalformedBody.problem, MalformedBody.title, reason, [FieldError("body", "not_utf8", reason)], None
    if isinstance(exc, HTTPException):
        status = exc.status_code
        problem, title = _HTTP_PROBLEMS.get(status, ("about:blank", exc.detail or "Error"))
        headers = dict(exc.headers or {})
        if status == 429 and "RateLimit-Reset" in headers:
            headers["Retry-After"] = headers["RateLimit-Reset"]  # the header every client knows
        return status, problem, title, exc.detail or title, [], headers or None
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        # Another process held SQLite's write lock past the busy timeout.
        return 503, DatabaseBusy.problem, DatabaseBusy.title, "the database stayed locked", [], {"Retry-After": "1"}
    if isinstance(exc, asyncpg.DataError):
        # A value the database cannot hold (out of range, a character it refuses) that no
        # rule caught first: a bug to fix, and the client's input all the same.
        logger.warning("data error reached the edge: %s", exc)
        return (
            422,
            InvalidInput.problem,
            InvalidInput.title,
            "a value is out of range or holds characters the database refuses",
            [],
            None,
        )
    if isinstance(exc, sqlite3.IntegrityError | asyncpg.IntegrityConstraintViolationError):
        # A constraint caught what the service did not check: a bug to fix, not a 500 to show.
        logger.warning("constraint violation reached the edge: %s", exc)
        return (
            409,
            "constraint-violation",
            "The change breaks a rule of the data",
            "the change was refused by a database constraint",
            [],
            None,
        )
    logger.exception("unhandled error", exc_info=exc)
    return 500, "internal-error", "Internal server error", "an unexpected error occurred; it has been logged", [], None


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, problem, title, detail, errors, headers = _classify(exc)
    if request.url.path.startswith(API_PREFIX) or request.url.path.startswith("/schema"):
        extensions = exc.problem_extensions(translator_for(request)) if isinstance(exc, ExhibitionsError) else {}
        return _problem(
            request,
            status=status,
            problem=problem,
            title=title,
            detail=detail,
            errors=errors,
            headers=headers,
            extensions=extensions,
        )
    if isinstance(exc, NotAuthenticated) or status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=f"/login?next={quote(target, safe='/')}")
    try:
        translator = translator_for(request)
        message = translator.gettext(PAGE_MESSAGES.get(status, PAGE_MESSAGES[500]))
        return page(request, "errors/error.html", status_code=status, status=status, message=message)
    except Exception:  # the error page itself failed: answer plainly rather than not at all
        logger.exception("error page failed")
        return Response(content=f"Error {status}", status_code=status, media_type=MediaType.TEXT)
