"""Organizations at every stage of an application, and images, for the directory and
products tests."""

from __future__ import annotations

import io
import zlib
from typing import Any

import httpx
from PIL import Image

from tests.exhibitors.test_api import API as ORGANIZATIONS
from tests.exhibitors.test_api import _exhibitor

APPLICATIONS = "/api/v1/exhibitions/sess-2027/applications"


def organization(number: int, **fields: Any) -> dict[str, Any]:
    """A valid organization; ``number`` keeps registry numbers and e-mails apart."""
    return {
        "legal_form": "cooperative", "name_latin": f"Coopérative {number}", "registry_number": f"{number}/2015", "region": "MA-09", "city": "Taroudant",
        "sector": "argan", "members_total": 10, "members_women": 2, "email": f"contact{number}@coop.ma",
        "phone": "0528841234", "ice": None, **fields,
    }  # fmt: skip


async def registered(
    client: httpx.AsyncClient, number: int, headers: dict[str, str] | None = None, **fields: Any
) -> tuple[int, dict[str, str]]:
    """(organization id, its member's headers); ``headers``: a member of others already (a
    password hash less per organization, which is most of a test's time)."""
    headers = headers or await _exhibitor(f"member{number}@coop.ma")
    response = await client.post(ORGANIZATIONS, json=organization(number, **fields), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"], headers


async def at_stage(
    client: httpx.AsyncClient, organizer: dict[str, Any], number: int, stage: str,
    headers: dict[str, str] | None = None, **fields: Any,
) -> tuple[int, dict[str, str]]:  # fmt: skip
    """An organization whose application to sess-2027 is at ``stage`` ("none": no application)."""
    organization_id, headers = await registered(client, number, headers, **fields)
    if stage == "none":
        return organization_id, headers
    draft = await client.post(APPLICATIONS, json={"organization": organization_id}, headers=headers)
    assert draft.status_code == 201, draft.text
    url = f"{APPLICATIONS}/{draft.json()['id']}"
    if stage == "draft":
        return organization_id, headers
    assert (await client.post(f"{url}/submit", headers=headers)).status_code == 200
    if stage == "submitted":
        return organization_id, headers
    decision = "approved" if stage == "withdrawn" else stage
    decided = await client.post(f"{url}/decision", json={"status": decision}, headers=organizer["headers"])
    assert decided.status_code == 200, decided.text
    if stage == "withdrawn":
        assert (await client.post(f"{url}/withdraw", headers=headers)).status_code == 200
    return organization_id, headers


def jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    """A real camera-like JPEG: EXIF with a GPS position and orientation 6 (turn right)."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (30.0, 28.0, 12.0), 3: "W", 4: (9.0, 33.0, 7.0)}  # GPSInfo: Taroudant
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"secret note")
    return buffer.getvalue()


def png_with_alpha(width: int = 300, height: int = 200) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 128, 0, 128))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def png_bomb(side: int = 20_000) -> bytes:
    """A black-and-white PNG of side × side pixels (400 megapixels), a few tens of KB compressed."""
    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])  # 1-bit grey, no interlace
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
HTML_TAIL = b"<html><body><script>alert(document.cookie)</script></body></html>"
