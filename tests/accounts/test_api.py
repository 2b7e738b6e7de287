from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import ORGANIZER_EMAIL, ORGANIZER_PASSWORD


async def test_exchange_a_password_for_a_token_and_use_it(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    response = await client.post(
        "/api/v1/auth/tokens", json={"email": ORGANIZER_EMAIL, "password": ORGANIZER_PASSWORD, "name": "scanner sync"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "scanner sync"
    assert body["token"].startswith("exp_")
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "id": organizer["id"],
        "email": ORGANIZER_EMAIL,
        "display_name": "Organisatrice",
        "preferred_language": "fr",
        "roles": [{"exhibition_id": None, "role": "organizer"}],
    }


async def test_a_wrong_password_is_a_401_problem(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    response = await client.post("/api/v1/auth/tokens", json={"email": ORGANIZER_EMAIL, "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:exhibitions:problem:not-authenticated",
        "title": "Authentication required",
        "status": 401,
        "detail": "the e-mail or the password is wrong",
        "instance": "/api/v1/auth/tokens",
    }


async def test_list_and_revoke_tokens(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    listed = await client.get("/api/v1/auth/tokens", headers=organizer["headers"])
    assert listed.status_code == 200
    [token] = listed.json()
    assert (token["kind"], token["name"], token["revoked_at"]) == ("personal", "tests", None)
    revoked = await client.delete(f"/api/v1/auth/tokens/{token['id']}", headers=organizer["headers"])
    assert revoked.status_code == 204
    after = await client.get("/api/v1/auth/me", headers=organizer["headers"])
    assert after.status_code == 401
    assert after.json()["detail"] == "the token is unknown, expired or revoked"


async def test_malformed_authorization_headers_are_named(client: httpx.AsyncClient) -> None:
    for header in ("Basic abc", "Bearer", "Bearer    "):
        response = await client.get("/api/v1/auth/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json()["detail"] == "send the token as 'Authorization: Bearer <token>'"


async def test_without_a_token_the_api_says_so(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "log in first"


async def test_a_garbled_email_is_just_a_wrong_login(client: httpx.AsyncClient, organizer: dict[str, Any]) -> None:
    response = await client.post(
        "/api/v1/auth/tokens", json={"email": "org\x00@test.ma", "password": ORGANIZER_PASSWORD}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "the e-mail or the password is wrong"
