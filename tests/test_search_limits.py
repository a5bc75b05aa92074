"""New searches are counted per client network; answers already in memory are free (issue 22 item 2)."""

import dataclasses

import pytest

from tests.crafted import gist_id, make_gist, make_user
from tornadogists.config import ConfigError, load_settings


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, search_rate_limit=3)


async def test_new_searches_past_the_limit_get_a_429_page_and_repeats_stay_free(client, db):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "Tornado coroutines")
    for word in ("tornado", "coroutines", "nothing"):
        assert (await client.get(f"/search?q={word}")).code == 200
    for _ in range(5):   # answered from memory: not counted
        again = await client.get("/search?q=tornado")
        assert again.code == 200 and "Tornado coroutines" in again.text
    over = await client.get("/search?q=fresh")
    assert over.code == 429 and "many new searches" in over.text and "<html" in over.text


async def test_new_api_searches_past_the_limit_get_a_json_429(client, db):
    for word in ("one", "two", "three"):
        assert (await client.get(f"/api/v1/search?q={word}")).code == 200
    over = await client.get("/api/v1/search?q=four")
    assert over.code == 429 and over.json()["error"]["code"] == "rate_limited"
    assert "many new searches" in over.json()["error"]["message"]
    assert (await client.get("/api/v1/search?q=one")).code == 200   # already answered


def test_the_search_limit_is_a_positive_setting(tmp_path):
    with pytest.raises(ConfigError, match="search_rate_limit"):
        load_settings(["--search_rate_limit=0"], environ={}, config_file=tmp_path / "none.cfg")
