"""An organizer, in Chromium and in Arabic, sets the quotas, computes a proposal with a seed,
overrides a row and applies it; the decision e-mails reach the test SMTP server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from exhibitions.clock import utcnow
from exhibitions.exhibitors.tables import Application
from exhibitions.notifications.services import deliver_due
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures
from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD
from tests.exhibitors.test_review_api import FIVE, _applicant
from tests.notifications.conftest import Mailbox, mailbox, smtp_server  # noqa: F401 - fixtures

REVIEW = "/organize/exhibitions/sess-2027/review/"


async def test_an_organizer_reviews_in_arabic_and_the_decisions_are_mailed(
    live_server: str,
    page: Page,  # noqa: F811
    exhibition: int,
    organizer: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811
    artifacts_dir: Path,
) -> None:
    five = {name: await _applicant(name, *facts, language="ar" if name == "Beta" else "fr") for name, facts in
            FIVE.items()}  # fmt: skip
    await page.goto(f"{live_server}{REVIEW}?lang=ar")
    # The login page speaks the browser's language (French); the review page then Arabic, as asked.
    await page.get_by_label("E-mail").fill(ORGANIZER_EMAIL)
    await page.get_by_label("Mot de passe").fill(ORGANIZER_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("الدراسة المساعَدة")
    assert await page.evaluate("document.documentElement.dir") == "rtl"

    await page.get_by_label("الأروقة المطلوب ملؤها").fill("3")
    for criterion in ("first_time", "women_led", "youth_led"):
        await page.locator(f"#f-weight_{criterion}").fill("0")
    await page.locator("#f-weight_product_diversity").fill("1")
    await page.locator("select[name=quota_0_dimension]").select_option("women_led")
    await page.locator("input[name=quota_0_min]").fill("33")
    await page.get_by_role("button", name="حفظ الإعدادات").click()
    await expect(page.locator("input[name=quota_0_min]")).to_have_value("33")

    await page.get_by_label("البذرة").fill("2027-05-07")
    await page.get_by_role("button", name="حساب مقترح").click()
    await expect(page.locator("code.seed")).to_have_text("2027-05-07")
    await expect(page.locator("table.proposal tbody tr")).to_have_count(3)  # the selected tab
    # Beta (the second best score) is sent to the waiting list instead of being approved.
    await page.locator(f"select[name=override_{five['Beta']['id']}]").select_option("waitlisted")
    await page.screenshot(path=str(artifacts_dir / "review-ar.png"), full_page=True)
    await page.get_by_role("button", name="تطبيق القرارات").click()
    await expect(page.get_by_role("status")).to_have_text("طُبّقت القرارات وأُرسلت بالبريد الإلكتروني.")

    statuses = {row["id"]: row["status"] for row in await Application.select(Application.id, Application.status)}
    assert {name: statuses[one["id"]] for name, one in five.items()} == {
        "Alpha": "approved", "Beta": "waitlisted", "Gamma": "waitlisted", "Delta": "approved",
        "Epsilon": "waitlisted",
    }  # fmt: skip
    report = await deliver_due(now=utcnow(), smtp=mailbox.smtp, base_url=live_server)
    assert report.sent == 5
    [beta] = [message for message in mailbox.messages if message["To"] == "beta@coop.ma"]
    body = beta.get_body(preferencelist=("plain",))
    assert body is not None
    assert "القرار: في لائحة الانتظار" in body.get_content()
    assert "السبب: وضعه المنظمون في لائحة الانتظار: الموقع 1" in body.get_content()
