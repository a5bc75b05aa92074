"""behind_proxy: per-client limits count the client a proxy names (X-Real-IP, X-Forwarded-For), and only then."""

import dataclasses

import pytest

PROXIED = {"behind_proxy": True, "api_rate_limit": 2}


@pytest.fixture
def settings(settings, request):
    return dataclasses.replace(settings, **getattr(request, "param", {"api_rate_limit": 2}))


async def remaining(client, headers: dict) -> list[str]:
    answers = [await client.get("/api/v1/tags", headers=headers) for _ in range(3)]
    return [a.headers["X-RateLimit-Remaining"] if a.code == 200 else str(a.code) for a in answers]


@pytest.mark.parametrize("settings", [PROXIED], indirect=True)
async def test_behind_a_proxy_each_client_it_names_has_its_own_allowance(client):
    assert await remaining(client, {"X-Real-IP": "203.0.113.7"}) == ["1", "0", "429"]
    assert await remaining(client, {"X-Real-IP": "198.51.100.9"}) == ["1", "0", "429"]
    # nginx's $proxy_add_x_forwarded_for: the last address is the one the proxy saw.
    assert await remaining(client, {"X-Forwarded-For": "10.1.1.1, 192.0.2.44"}) == ["1", "0", "429"]


async def test_by_default_the_headers_are_not_trusted(client):
    assert await remaining(client, {"X-Real-IP": "203.0.113.7"}) == ["1", "0", "429"]
    assert (await client.get("/api/v1/tags", headers={"X-Real-IP": "198.51.100.9"})).code == 429
