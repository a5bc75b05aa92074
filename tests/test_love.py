"""Loving a gist: a toggle, counted once per person, exact under concurrent requests."""

import asyncio

from tests.crafted import client_for, make_gist, make_user

GIST = "0123456789abcdef0123"
JSON = {"Accept": "application/json"}


async def love(client, gist_id=GIST, **kwargs):
    return await client.post(f"/gists/{gist_id}/love", **kwargs)


async def test_loving_toggles_and_redirects_back_to_the_gist(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "A loved gist")
    client = await client_for(settings, ada)

    response = await love(client)
    assert response.code == 303 and response.location == f"/gists/{GIST}"
    assert (await db.gists.find_one({"gist_id": GIST}))["loves"] == 1
    page = await client.get(f"/gists/{GIST}")
    assert 'class="love loved" aria-pressed="true"' in page.text and '<span class="love-count">1</span>' in page.text

    assert (await love(client)).code == 303
    assert (await db.gists.find_one({"gist_id": GIST}))["loves"] == 0
    assert await db.loves.count_documents({}) == 0
    page = await client.get(f"/gists/{GIST}")
    assert 'class="love" aria-pressed="false"' in page.text and '<span class="love-count">0</span>' in page.text


async def test_love_answers_json_when_asked_for_json(db, settings):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    await make_gist(db, GIST, ada)
    assert (await love(await client_for(settings, bob), headers=JSON)).json() == {"loved": True, "loves": 1}
    client = await client_for(settings, ada)
    response = await love(client, headers=JSON)
    assert response.code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"loved": True, "loves": 2}
    assert (await love(client, headers=JSON)).json() == {"loved": False, "loves": 1}


async def test_the_love_count_shows_on_cards_and_the_gist_page(db, settings, client):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "Counted", loves=7)
    assert '♥ 7' in (await client.get("/")).text
    page = await client.get(f"/gists/{GIST}")
    assert '<span class="love-count">7</span>' in page.text
    assert "Sign in to love this gist" in page.text  # anonymous: a link to sign in, not a form


async def test_anonymous_people_cannot_love(db, client):
    await make_gist(db, GIST, await make_user(db, "ada"))
    response = await love(client)
    assert response.code == 403 or response.location.startswith("/login")
    assert (await db.gists.find_one({"gist_id": GIST}))["loves"] == 0


async def test_loving_needs_the_xsrf_token(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    response = await love(await client_for(settings, ada), xsrf=False)
    assert response.code == 403
    assert await db.loves.count_documents({}) == 0


async def test_loving_an_unknown_gist_is_a_404(db, settings):
    client = await client_for(settings, await make_user(db, "ada"))
    assert (await love(client, "ffffffffffffffffffff")).code == 404
    response = await love(client, "ffffffffffffffffffff", headers=JSON)
    assert response.code == 404 and "error" in response.json()
    assert await db.loves.count_documents({}) == 0


async def test_fifty_people_loving_at_once_count_fifty(db, settings):
    await make_gist(db, GIST, await make_user(db, "owner"))
    clients = [await client_for(settings, await make_user(db, f"fan{n}")) for n in range(50)]
    responses = await asyncio.gather(*(love(c, headers=JSON) for c in clients))
    assert all(r.code == 200 and r.json()["loved"] for r in responses)
    assert (await db.gists.find_one({"gist_id": GIST}))["loves"] == 50
    assert await db.loves.count_documents({"gist_id": GIST}) == 50
    assert max(r.json()["loves"] for r in responses) == 50


async def test_fifty_concurrent_clicks_by_one_person_never_count_twice(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    client = await client_for(settings, ada)
    responses = await asyncio.gather(*(love(client, headers=JSON) for _ in range(50)))
    assert all(r.code == 200 for r in responses)
    records = await db.loves.count_documents({"gist_id": GIST})
    assert records in (0, 1)
    assert (await db.gists.find_one({"gist_id": GIST}))["loves"] == records
    assert all(0 <= r.json()["loves"] <= 1 for r in responses)


async def test_too_many_toggles_in_a_minute_are_refused(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    client = await client_for(settings, ada)
    answered = 0
    # 60 a minute in fixed windows: if a window ends midway, the next one refuses by the 121st.
    while (response := await love(client, headers=JSON)).code == 200 and answered < 121:
        answered += 1
    assert response.code == 429 and "wait" in response.json()["error"]
    assert 60 <= answered <= 120
    assert (await love(client)).code == 429
    records = await db.loves.count_documents({"gist_id": GIST})
    assert (await db.gists.find_one({"gist_id": GIST}))["loves"] == records == answered % 2
