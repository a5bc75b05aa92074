"""Failures outside our control get a clear page and a 5xx, never a traceback."""


async def test_a_database_failure_is_a_500_page_without_a_traceback(site, client):
    await site.client.close()
    response = await client.get("/")
    assert response.code == 500
    assert "Something went wrong on our side" in response.text
    assert "Traceback" not in response.text and "pymongo" not in response.text


async def test_healthz_names_the_failing_database(site, client):
    await site.client.close()
    response = await client.get("/healthz")
    assert response.code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
