"""An applicant's members hear of a decision by e-mail, each in their own language."""

from __future__ import annotations

from typing import Any

import httpx

from exhibitions.accounts import services as account_services
from exhibitions.accounts.tables import TokenKind
from exhibitions.clock import utcnow
from exhibitions.notifications.services import deliver_due
from exhibitions.notifications.tables import Outbox
from tests.conftest import NOW
from tests.exhibitors.test_api import API as ORGANIZATIONS
from tests.exhibitors.test_api import COOPERATIVE
from tests.notifications.conftest import Mailbox

APPLICATIONS = "/api/v1/exhibitions/sess-2027/applications"


async def _member(email: str, language: str) -> dict[str, str]:
    user_id = await account_services.create_user(
        email=email, password="exhibitor-password-1", now=NOW, preferred_language=language
    )
    _, token = await account_services.issue_token(user_id=user_id, kind=TokenKind.personal, now=NOW)
    return {"Authorization": f"Bearer {token}"}


async def test_a_decision_is_mailed_to_the_applicant_in_their_language(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any], mailbox: Mailbox
) -> None:
    headers = await _member("fatima@argan-khair.ma", "ar")
    organization = (await client.post(ORGANIZATIONS, json=COOPERATIVE, headers=headers)).json()
    draft = (await client.post(APPLICATIONS, json={"organization": organization["id"]}, headers=headers)).json()
    url = f"{APPLICATIONS}/{draft['id']}"
    await client.post(f"{url}/submit", headers=headers)
    assert await Outbox.count() == 0  # submitting tells no one
    decided = await client.post(
        f"{url}/decision", json={"status": "waitlisted", "reason": "الحصة الجهوية مكتملة"}, headers=organizer["headers"]
    )
    assert decided.status_code == 200
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url="http://testserver")
    assert report.sent == 1
    [message] = mailbox.messages
    assert message["To"] == "fatima@argan-khair.ma"
    title = "المعرض الوطني للاقتصاد الاجتماعي والتضامني"
    assert message["Subject"] == f"طلب مشاركتكم في {title}"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert text.get_content() == (
        "مرحبا،\n"
        "\n"
        f"بتّ المنظمون في طلب مشاركة تعاونية أركان الخير في {title}.\n"
        "\n"
        "القرار: في لائحة الانتظار\n"
        "السبب: الحصة الجهوية مكتملة\n"
        "\n"
        "تابعوا طلبكم واقرؤوا كل قرار في صفحتكم:\n"
        f"http://testserver/portal/applications/{draft['id']}?lang=ar\n"
    )
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert f'href="http://testserver/portal/applications/{draft["id"]}?lang=ar"' in html.get_content()
    # Deciding again (waitlisted → approved) is a new event: a new e-mail, never a repeat.
    await client.post(f"{url}/decision", json={"status": "approved"}, headers=organizer["headers"])
    assert await Outbox.count() == 2
