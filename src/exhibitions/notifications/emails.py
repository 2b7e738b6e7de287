"""E-mails as plain data: rendering from templates/emails/ and building the MIME message.

No database and no network here: :func:`render` takes a template name, a language and plain
values; :func:`build_message` takes what was rendered. Both are tested on their own.

A template pair is ``emails/<domain>/<rule>.txt`` (which must set ``subject`` at its top
level) and ``.html`` (optional). Both receive the values plus the translator as ``t`` and
``_``, the language as ``lang`` and the direction as ``dir``, as the pages do.
"""

from __future__ import annotations

import email.policy
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr
from functools import cache
from typing import Any

import jinja2

from exhibitions.paths import TEMPLATES_DIR
from exhibitions.web.i18n import Translator


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str | None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, *, language: str, values: dict[str, Any]) -> RenderedEmail:
    """Render ``emails/<template>.txt`` (and ``.html`` when it exists) in ``language``."""
    translator = Translator(language)
    context = {
        **values,
        "t": translator,
        "lang": translator.language,
        "dir": translator.direction,
        "_": translator.gettext,
        "gettext": translator.gettext,
        "ngettext": translator.ngettext,
    }
    environment = _environment()
    text_template = environment.get_template(f"emails/{template}.txt")
    module = text_template.make_module(context)
    # A subject is one line: a header cannot carry a newline, and a name could bring one.
    subject = " ".join(str(getattr(module, "subject", "")).split())
    if not subject:
        raise ValueError(f"emails/{template}.txt sets no subject")
    try:
        html_template = environment.get_template(f"emails/{template}.html")
    except jinja2.TemplateNotFound:
        html = None
    else:
        html = html_template.render({**context, "subject": subject})
    return RenderedEmail(subject=subject, text=str(module).strip() + "\n", html=html)


class _CachedHeaderRegistry(HeaderRegistry):
    """The standard registry, remembering the class it makes for each header name. CPython
    3.11's builds a new class (``type(...)``) for every header of every message: at 10,000
    messages that was the largest single cost of building them (docs/benchmarks.md)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._classes.get(key)
        if made is None:
            made = self._classes[key] = super().__getitem__(name)
        return made


_HEADERS = _CachedHeaderRegistry()
# email.policy.default, with the registry above.
MESSAGE_POLICY = email.policy.default.clone(header_factory=_HEADERS)


def build_message(
    *,
    sender: str,
    recipient: str,
    language: str,
    subject: str,
    text: str,
    html: str | None,
    message_id: str,
    sent_at: datetime,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    """A multipart message: the text, the HTML as its alternative, then any attachments.
    The standard library encodes non-ASCII headers (an Arabic subject) per RFC 2047."""
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    # The same id on every attempt: a copy delivered twice after a crash is recognisable.
    message["Message-ID"] = message_id
    # RFC 3834: out-of-office robots must not answer.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, charset="utf-8")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    for part in message.walk():
        if part.is_multipart():
            # A random boundary of our own: the generator's own compiles a regular expression
            # per message to prove its shorter one absent from the body (a tenth of a
            # delivery's time); 128 random bits cannot occur in it by chance.
            part.set_boundary(f"=_{secrets.token_hex(16)}")
    # Last: setting the content clears every Content-* header set before.
    message["Content-Language"] = language
    return message


# How a message goes on the wire. The standard SMTP policy folds headers at 78 columns, and
# CPython's folder then drops the space between two RFC 2047 words of a long Arabic subject
# ("بشأن جلساتكم" arrived as "بشأنجلساتكم"); RFC 5322 allows lines of 998 characters, which
# keeps any subject we write in one encoded word.
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=998, header_factory=_HEADERS)


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as sent: CRLF line ends, headers folded by ``WIRE_POLICY``."""
    return message.as_bytes(policy=WIRE_POLICY)


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The SMTP envelope's sender and recipients, from the From and To headers."""
    recipients = [address for _, address in getaddresses(message.get_all("To", [])) if address]
    return parseaddr(str(message["From"]))[1], recipients
