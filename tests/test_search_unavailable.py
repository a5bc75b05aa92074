"""A search the SQLite index cannot answer in time (a new index filling: 445 s at 50,000 gists) is a 503 saying so.

On the SQLite engine whatever the database (MongoDB keeps its own text indexes up to date)."""

import asyncio
import dataclasses

import pytest

from tests.crafted import gist_id, make_gist, make_user
from tests.test_search import found
from tornadogists.storage.search_index import SearchUnavailable, SqliteSearchIndex
from tornadogists.text.search_query import parse_query


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, search_engine="sqlite")


async def test_a_search_while_a_new_index_fills_is_told_how_far_it_is_and_the_fill_goes_on(db, tmp_path):
    ada = await make_user(db, "ada")
    for n in range(30):
        await make_gist(db, gist_id(n), ada, f"Gist {n} about wombats")
    index = SqliteSearchIndex(tmp_path / "new.sqlite", db.gists, db.gist_files, db.comments, batch=1, sync_wait=0)
    try:
        index.start()
        while not index.building and not index._filling.done():   # until the fill has stored a first gist
            await asyncio.sleep(0.005)
        with pytest.raises(SearchUnavailable, match=r"being set up: \d+ gists are in its index so far"):
            await index.find(parse_query("wombats"), None, "newest", 0, 50)
        await index._filling
        index.sync_wait = 5
        total, hits = await index.find(parse_query("wombats"), None, "newest", 0, 50)
        assert total == 30 and index.building is None
    finally:
        await index.close()


async def test_a_search_the_index_cannot_answer_in_time_is_a_503_saying_so_on_the_page_and_in_the_api(
        db, client, site):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "wombat")
    site.services.storage.search.sync_wait = 0   # no catching up is that fast
    page = await client.get("/search?q=wombat")
    assert page.code == 503 and page.headers["Retry-After"] == "60"
    assert "Try again in a minute" in page.text and 'name="q" value="wombat"' in page.text
    api = await client.get("/api/v1/search?q=wombat")
    assert api.code == 503 and api.headers["Retry-After"] == "60"
    assert api.json()["error"]["code"] == "search_unavailable"
    site.services.storage.search.sync_wait = 5
    assert found(await client.get("/search?q=wombat")) == [gist_id(1)]
