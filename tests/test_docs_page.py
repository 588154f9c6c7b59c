"""The API documentation works offline: Swagger UI is served from Tandem itself."""

from __future__ import annotations

import httpx


async def test_docs_load_swagger_ui_from_tandem_not_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    bundle = await client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert (await client.get("/openapi.json")).json()["info"]["title"] == "Tandem"
