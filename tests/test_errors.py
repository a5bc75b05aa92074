"""Failures outside our control get a clear page and a 5xx, never a traceback."""

import dataclasses

import pytest_asyncio

from tests.client import Client
from tornadogists.db.embedded_db import EmbeddedDatabase
from tornadogists.server import Site


async def test_an_unexpected_failure_is_a_500_page_without_a_traceback(site, client):
    await site.client.close()  # every query now raises InvalidOperation: a bug of ours, not an outage
    response = await client.get("/")
    assert response.code == 500
    assert "Something went wrong on our side" in response.text
    assert "Traceback" not in response.text and "pymongo" not in response.text


@pytest_asyncio.fixture
async def database_gone(settings, free_socket, tmp_path):
    """A site whose own database server (no supervisor: the URI is given) has just stopped."""
    database = EmbeddedDatabase(tmp_path / "own.sqlite").start()
    running = await Site(dataclasses.replace(settings, mongodb_uri=database.uri)).open()
    running.listen(sockets=[free_socket[0]])
    database.stop()
    visitor = Client(settings.site_url)
    yield visitor
    visitor.close()
    await running.close()


async def test_pages_answer_503_while_the_database_is_away(database_gone):
    response = await database_gone.get("/")
    assert response.code == 503
    assert "The database is not answering right now" in response.text
    assert "Traceback" not in response.text and "pymongo" not in response.text


async def test_healthz_names_the_failing_database(database_gone):
    response = await database_gone.get("/healthz")
    assert response.code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
