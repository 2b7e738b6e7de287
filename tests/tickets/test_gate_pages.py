"""The organizers' gates page and the scanner page, as a browser without JavaScript sees them."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from exhibitions.tickets.policies import ScanResult
from exhibitions.tickets.tables import Checkpoint, DeviceEnrolment
from tests.factories import csrf_token, login

GATES = "/organize/exhibitions/sess-2027/gates"


async def test_organizers_add_a_checkpoint_and_bad_input_is_shown_in_their_language(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await login(client)
    page = await client.get(f"{GATES}?lang=fr")
    assert page.status_code == 200
    assert "<h1>Entrées et scanners</h1>" in page.text
    assert "Aucun scanner pour l&#39;instant." in page.text
    token = csrf_token(page.text)
    refused = await client.post(
        "/organize/exhibitions/sess-2027/checkpoints",
        data={"_csrf_token": token, "name": "Salle 2", "kind": "room", "policy": "once", "capacity": "-3"},
    )
    assert refused.status_code == 422
    assert re.search(r'id="e-capacity">Cette valeur n&#39;est pas valide.</p>', refused.text)
    assert 'value="Salle 2"' in refused.text  # what was typed stays
    assert await Checkpoint.count() == 0

    added = await client.post(
        "/organize/exhibitions/sess-2027/checkpoints",
        data={"_csrf_token": token, "name": "Salle 2", "kind": "room", "policy": "once", "capacity": "40"},
    )
    assert added.status_code == 302
    assert added.headers["location"] == GATES
    row = await Checkpoint.select(Checkpoint.name, Checkpoint.kind, Checkpoint.policy, Checkpoint.capacity).first()
    assert row == {"name": "Salle 2", "kind": "room", "policy": "once", "capacity": 40}
    live = await client.get(f"{GATES}/live?lang=ar")
    assert live.status_code == 200
    assert "<bdi>Salle 2</bdi>" in live.text
    assert "قاعة ندوات" in live.text
    assert 'hx-trigger="every 5s"' in live.text


async def test_enrolling_a_phone_shows_a_one_time_qr_code(
    client: httpx.AsyncClient, organizer: dict[str, Any], exhibition: int
) -> None:
    await login(client)
    page = await client.get(f"{GATES}?lang=en")
    blank = await client.post(
        "/organize/exhibitions/sess-2027/devices/enrol", data={"_csrf_token": csrf_token(page.text), "device_name": ""}
    )
    assert blank.status_code == 422
    assert 'id="e-device_name">This field is required.</p>' in blank.text
    shown = await client.post(
        "/organize/exhibitions/sess-2027/devices/enrol",
        data={"_csrf_token": csrf_token(page.text), "device_name": "Gate A, phone 2"},
    )
    assert shown.status_code == 200
    assert "Enrol the phone “Gate A, phone 2”" in shown.text
    link = re.search(r'<a href="http://testserver/scanner#enrol=([^"]+)" id="enrol-link"', shown.text)
    assert link is not None
    secret = link.group(1)
    assert "<svg" in shown.text.split('id="enrolment"')[1]
    assert await DeviceEnrolment.count() == 1
    enrolled = await client.post("/api/v1/devices/enrol", json={"secret": secret})
    assert enrolled.status_code == 201


async def test_the_scanner_page_carries_its_answers_in_the_staff_language(client: httpx.AsyncClient) -> None:
    page = await client.get("/scanner?lang=ar")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    config = json.loads(re.search(r'id="scanner-config">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
    assert config["lang"] == "ar"
    assert config["results"]["admitted"] == {"text": "مسموح بالدخول", "colour": "green"}
    assert config["results"]["already_admitted"] == {"text": "دخل من قبل", "colour": "orange"}
    assert config["results"]["revoked"] == {"text": "تذكرة ملغاة", "colour": "red"}
    assert set(config["results"]) == {result.value for result in ScanResult}
    assert '<script src="/static/js/scanner.js" defer></script>' in page.text
    wasm = await client.get("/static/vendor/zxing-wasm/zxing_reader.wasm")
    assert wasm.status_code == 200
    assert wasm.headers["content-type"] == "application/wasm"
    worker = await client.get("/scanner-sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert '"/static/vendor/zxing-wasm/zxing_reader.wasm"' in worker.text
