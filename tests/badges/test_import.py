"""Badges imported from the organizers' spreadsheets: the press list, partners, staff; checked
whole before anything is written, and the same file twice adds nobody twice."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from exhibitions.badges import services
from exhibitions.badges.tables import BadgeHolder
from exhibitions.errors import InvalidInput, PermissionDenied
from tests.badges.badges_data import SLUG, exhibitor, organizer_actor
from tests.conftest import NOW
from tests.factories import csrf_token, login

SAMPLE = Path(__file__).resolve().parents[2] / "static" / "samples" / "badge-holders.csv"


async def _holders() -> list[tuple[str, str, str, str, str | None, str]]:
    rows = await BadgeHolder.select(
        BadgeHolder.role, BadgeHolder.full_name, BadgeHolder.title, BadgeHolder.organization_label,
        BadgeHolder.email, BadgeHolder.language,
    ).order_by(BadgeHolder.id)  # fmt: skip
    return [
        (row["role"], row["full_name"], row["title"], row["organization_label"], row["email"], row["language"])
        for row in rows
    ]


async def test_the_sample_file_imports_once_whatever_its_spelling_the_second_time(
    exhibition: int, organizer: dict[str, Any]
) -> None:
    actor = organizer_actor(organizer)
    report = await services.import_holders(slug=SLUG, data=SAMPLE.read_bytes(), actor=actor, now=NOW)
    assert (report.rows, report.added, report.already, report.errors) == (4, 4, 0, [])
    assert await _holders() == [
        ("press", "Salma Bennani", "Journaliste", "Le Matin", "salma.bennani@example.ma", "fr"),
        ("press", "يوسف العلوي", "صحفي", "هسبريس", "youssef.alaoui@example.ma", "ar"),
        ("vip", "Claire Dupont", "Chargée de partenariats", "Agence française de développement", None, "fr"),
        ("staff", "Hamid Ouazzani", "Accueil", "", None, "fr"),
    ]
    # The same people again, in French headers and another case: nobody twice; a new one added.
    again = (
        "Rôle;Nom complet;Courriel\n"
        "Presse;SALMA BENNANI;Salma.Bennani@example.ma\n"
        "Partenaire;Claire Dupont;\n"
        "presse;Nadia Tazi;\n"
    ).encode()
    second = await services.import_holders(slug=SLUG, data=again, actor=actor, now=NOW)
    assert (second.rows, second.added, second.already) == (3, 1, 2)
    assert (await _holders())[-1] == ("press", "Nadia Tazi", "", "", None, "fr")


async def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(
    exhibition: int, organizer: dict[str, Any]
) -> None:
    actor = organizer_actor(organizer)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["الاسم", "الدور", "البريد الإلكتروني", "اللغة"])
    sheet.append(["ليلى بناني", "صحافة", "leila@example.ma", "العربية"])
    sheet.append(["", "صحافة", "", ""])
    sheet.append(["Omar", "exposant", "omar(at)example.ma", "es"])
    sheet.append(["ن" * 201, "vip", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = await services.import_holders(slug=SLUG, data=buffer.getvalue(), actor=actor, now=NOW)
    assert [(bad.row, bad.field, bad.code) for bad in report.errors] == [
        (3, "full_name", "required"),
        (4, "role", "unknown_role"),
        (4, "language", "invalid_choice"),
        (4, "email", "invalid"),
        (5, "full_name", "invalid"),
    ]
    assert report.added == 0
    assert await _holders() == []


async def test_a_file_without_a_role_column_takes_the_chosen_role(exhibition: int, organizer: dict[str, Any]) -> None:
    actor = organizer_actor(organizer)
    press_list = b"name,organization\nKarim Idrissi,2M\n"
    with pytest.raises(InvalidInput) as no_role:
        await services.import_holders(slug=SLUG, data=press_list, actor=actor, now=NOW)
    assert [(e.field, e.code) for e in no_role.value.errors] == [("role", "required")]
    report = await services.import_holders(
        slug=SLUG, data=press_list, actor=actor, now=NOW, default_role="press", default_language="ar"
    )
    assert report.added == 1
    assert await _holders() == [("press", "Karim Idrissi", "", "2M", None, "ar")]
    with pytest.raises(InvalidInput) as no_name:
        await services.import_holders(slug=SLUG, data=b"role,organization\npress,2M\n", actor=actor, now=NOW)
    assert [(e.field, e.code) for e in no_name.value.errors] == [("file", "missing_column")]
    with pytest.raises(InvalidInput) as staff_of_exhibitors:
        await services.import_holders(slug=SLUG, data=press_list, actor=actor, now=NOW, default_role="exhibitor_staff")
    assert [(e.field, e.code) for e in staff_of_exhibitors.value.errors] == [("role", "invalid_choice")]


async def test_only_organizers_import(exhibition: int) -> None:
    shop = await exhibitor(exhibition, 1)
    with pytest.raises(PermissionDenied):
        await services.import_holders(slug=SLUG, data=SAMPLE.read_bytes(), actor=shop.actor, now=NOW)


async def test_the_page_imports_and_lists_bad_rows_in_the_organizers_language(
    client: httpx.AsyncClient, exhibition: int
) -> None:
    await login(client)
    form = await client.get(f"/organize/exhibitions/{SLUG}/badges/?lang=fr")
    token = csrf_token(form.text)
    bad = await client.post(
        f"/organize/exhibitions/{SLUG}/badges/import",
        data={"_csrf_token": token, "role": "press", "language": "fr"},
        files={"file": ("presse.csv", b"nom,courriel\nAmina,amina@\n", "text/csv")},
    )
    assert bad.status_code == 422
    errors = re.search(r'<div class="alert" role="alert" id="import-errors">(.*?)</div>', bad.text, re.S)
    assert errors is not None
    assert "Rien n&#39;a été importé. Corrigez ces lignes et envoyez à nouveau le fichier\u00a0:" in errors.group(1)
    assert re.findall(r"<li>(.*?)</li>", errors.group(1)) == [
        "Ligne 2, E-mail\u00a0: Cette valeur n&#39;est pas valide."
    ]
    assert await _holders() == []
    good = await client.post(
        f"/organize/exhibitions/{SLUG}/badges/import",
        data={"_csrf_token": token, "role": "press", "language": "ar"},
        files={"file": ("presse.csv", b"nom,courriel\nAmina Saadi,amina@example.ma\n", "text/csv")},
    )
    assert good.status_code == 200
    assert "Importé. Nouveaux badges\u00a0: 1. Déjà présents\u00a0: 0." in good.text
    assert await _holders() == [("press", "Amina Saadi", "", "", "amina@example.ma", "ar")]


async def test_the_api_names_each_bad_cell_by_its_row(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    url = f"/api/v1/exhibitions/{SLUG}/badges/holders/import"
    bad = await client.post(
        url, files={"file": ("vip.csv", b"name,role,email\nA,vip,a@\n,vip,\n", "text/csv")},
        headers=organizer["headers"],
    )  # fmt: skip
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [(e["field"], e["code"]) for e in bad.json()["errors"]] == [
        ("rows[2].email", "invalid"),
        ("rows[3].full_name", "required"),
    ]
    good = await client.post(
        url, files={"file": ("vip.csv", SAMPLE.read_bytes(), "text/csv")}, headers=organizer["headers"]
    )
    assert good.status_code == 200
    assert good.json() == {"rows": 4, "added": 4, "already": 0}
    missing = await client.post(url, files={"role": (None, "press")}, headers=organizer["headers"])
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["file"]


async def test_a_file_sent_as_a_plain_form_field_is_a_400_not_a_500(
    client: httpx.AsyncClient, exhibition: int, organizer: dict[str, Any]
) -> None:
    # Found by the API fuzzer: binary bytes in a multipart field without a filename.
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    for url in (f"/api/v1/exhibitions/{SLUG}/badges/holders/import", "/api/v1/organizations/import"):
        response = await client.post(url, files={"file": (None, png)}, headers=organizer["headers"])
        assert response.status_code == 400, url
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("body", "not_utf8")]
