"""The app as a whole: OpenAPI documents every route, every asset is self-hosted, health."""

from __future__ import annotations

import re

import httpx
from litestar import Litestar


async def test_openapi_documents_every_api_route(client: httpx.AsyncClient, app: Litestar) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routes = {
        (re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path), method)
        for route in app.routes
        if route.path.startswith("/api/")
        for method in getattr(route, "methods", set())
        if method not in ("OPTIONS", "HEAD")
    }
    assert routes == documented
    assert routes >= {
        ("/api/v1/exhibitions", "GET"),
        ("/api/v1/exhibitions", "POST"),
        ("/api/v1/exhibitions/{slug}", "GET"),
        ("/api/v1/exhibitions/{slug}", "PATCH"),
        ("/api/v1/regions", "GET"),
    }
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/exhibitions"]["post"]["security"] == [{"BearerToken": []}]


async def test_the_api_docs_load_nothing_from_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/schema")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', page.text)
    assert assets, "the docs page references no asset"
    assert all(asset.startswith("/static/") for asset in assets), assets
    for asset in assets:
        assert (await client.get(asset)).status_code == 200


async def test_site_pages_load_nothing_from_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert assets == ["/static/favicon.svg", "/static/css/site.css", "/static/vendor/htmx/htmx.min.js"]
    assert [(await client.get(asset)).status_code for asset in assets] == [200, 200, 200]
    htmx = await client.get("/static/vendor/htmx/htmx.min.js")
    assert htmx.status_code == 200
    assert b"htmx" in htmx.content[:2000]


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
