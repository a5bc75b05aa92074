"""Reactions on comments (issue 19): toggles, one per kind per person, exact under a race, cached and live."""

import asyncio
import datetime

import pytest

from tests.api_calls import make_token
from tests.client import Client
from tests.crafted import client_for, make_comment, make_gist, make_user
from tests.test_comment_live import connect, next_message, now_ms, second_site  # noqa: F401 - a fixture
from tests.test_page_cache import other_process, shows_within  # noqa: F401 - a fixture
from tornadogists.services.limits import RateLimited
from tornadogists.services.reactions import ReactionService
from tornadogists.services.visibility import HELD
from tornadogists.storage import Storage

GIST = "0123456789abcdef0123"
JSON = {"Accept": "application/json"}


async def react(client, comment, kind="+1", **kwargs):
    return await client.post(f"/gists/{GIST}/comments/{comment['_id']}/reactions", {"kind": kind}, **kwargs)


async def thread(db, **fields):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    return ada, await make_comment(db, GIST, ada, "Worth a reaction", **fields)


async def stored(db, comment) -> list:
    return [(r["kind"], r["by"]["handle"]) for r in (await db.comments.find_one({"_id": comment["_id"]}))["reactions"]]


async def test_a_reaction_toggles_on_and_off_with_a_plain_form(db, settings):
    ada, note = await thread(db)
    client = await client_for(settings, ada)
    response = await react(client, note)
    assert response.code == 303 and response.location == f"/gists/{GIST}#comment-{note['_id']}"
    page = (await client.get(f"/gists/{GIST}")).text
    assert 'value="+1" aria-pressed="true"' in page and '<span class="reaction-count">1</span>' in page
    assert "thumbs up: ada" in page
    assert (await react(client, note)).code == 303
    assert await stored(db, note) == []
    page = (await client.get(f"/gists/{GIST}")).text
    assert '<span class="reaction-count">' not in page and 'value="+1" class="react-kind" aria-pressed="false"' in page


async def test_each_person_has_one_of_each_kind(db, settings):
    ada, note = await thread(db)
    bob = await make_user(db, "bob")
    ada_client, bob_client = await client_for(settings, ada), await client_for(settings, bob)
    for client, kind in ((ada_client, "+1"), (ada_client, "heart"), (bob_client, "+1"), (bob_client, "rocket")):
        assert (await react(client, note, kind)).code == 303
    assert sorted(await stored(db, note)) == [("+1", "ada"), ("+1", "bob"), ("heart", "ada"), ("rocket", "bob")]
    page = (await Client(settings.site_url).get(f"/gists/{GIST}")).text   # signed out: counts, no buttons
    assert "thumbs up: ada, bob" in page and '<span class="reaction-count">2</span>' in page
    assert 'name="kind"' not in page and "Sign in to react" in page


async def test_a_script_gets_the_reactions_html_back(db, settings):
    ada, note = await thread(db)
    response = await react(await client_for(settings, ada), note, "eyes", headers=JSON)
    assert response.code == 200 and 'value="eyes" aria-pressed="true"' in response.json()["html"]


async def test_a_kind_that_is_not_one_of_the_eight_is_a_400(db, settings):
    ada, note = await thread(db)
    client = await client_for(settings, ada)
    for kind in ("thumbsup", "", "+1 ", "<b>x</b>"):
        response = await react(client, note, kind)
        assert response.code == 400 and "is not a reaction" in response.text
    response = await react(client, note, "smile", headers=JSON)
    assert response.code == 400 and "choose one of +1, -1, laugh" in response.json()["error"]
    assert "reactions" not in await db.comments.find_one({"_id": note["_id"]})


async def test_reacting_needs_a_sign_in_and_the_xsrf_token(db, settings):
    ada, note = await thread(db)
    response = await react(Client(settings.site_url), note, xsrf=False)
    assert response.code in (303, 403)
    assert (await react(await client_for(settings, ada), note, xsrf=False)).code == 403
    assert "reactions" not in await db.comments.find_one({"_id": note["_id"]})


async def test_a_held_comment_takes_no_reactions(db, settings):
    ada, note = await thread(db, hidden=[HELD])
    bob = await make_user(db, "bob")
    response = await react(await client_for(settings, bob), note, headers=JSON)
    assert response.code == 404 and "no such comment" in response.json()["error"]   # not there for others
    response = await react(await client_for(settings, ada), note)
    assert response.code == 409 and "takes no reactions until it is published" in response.text
    missing = {"_id": "ffffffffffffffffffffffff"}
    assert (await react(await client_for(settings, bob), missing)).code == 404


async def test_twenty_people_reacting_at_once_count_twenty(db, settings):
    ada, note = await thread(db)
    clients = [await client_for(settings, await make_user(db, f"fan{n}")) for n in range(20)]
    responses = await asyncio.gather(*(react(c, note, "hooray", headers=JSON) for c in clients))
    assert [r.code for r in responses] == [200] * 20
    assert len(await stored(db, note)) == 20
    page = (await clients[0].get(f"/gists/{GIST}")).text
    assert '<span class="reaction-count">20</span>' in page and "and 10 more" in page
    # The same twenty, twice at once each: every pair of toggles cancels out, or one of them wins.
    await asyncio.gather(*(react(c, note, "hooray") for c in clients))
    assert await stored(db, note) == []


async def test_one_person_clicking_twice_at_once_reacts_once(db, settings):
    ada, note = await thread(db)
    client = await client_for(settings, ada)
    await asyncio.gather(*(react(client, note, "heart") for _ in range(10)))
    assert len(await stored(db, note)) <= 1


async def test_a_reaction_in_one_process_shows_in_another_within_2_s(db, settings, other_process):  # noqa: F811
    ada, note = await thread(db)
    path = f"/gists/{GIST}"
    assert "reaction-count" not in (await other_process.get(path)).text   # cached there
    assert (await react(await client_for(settings, ada), note, "rocket")).code == 303
    assert await shows_within(other_process, path, "rocket: ada", 2)


async def test_a_renamed_person_is_named_anew_under_their_reactions(db, settings):
    ada, note = await thread(db)
    bob = await make_user(db, "bob")
    client = await client_for(settings, bob)
    assert (await react(client, note, "laugh")).code == 303
    assert "laugh: bob" in (await client.get(f"/gists/{GIST}")).text
    assert (await client.post("/account/profile", {"handle": "robert", "display_name": ""})).code == 303
    assert "laugh: robert" in (await client.get(f"/gists/{GIST}")).text


async def until(ws, wanted) -> dict:
    while not wanted((message := await next_message(ws))["html"]):
        pass
    return message


async def test_a_reaction_through_another_process_reaches_an_open_page(db, settings, second_site):  # noqa: F811
    ada, note = await thread(db)
    ws = await connect(settings.site_url, GIST, since=now_ms())
    try:
        other = await client_for(second_site.settings, ada)
        assert (await react(other, note, "heart")).code == 303
        message = await until(ws, lambda html: "heart: ada" in html)   # the comment itself may come first
        assert message["id"] == str(note["_id"]) and "Sign in to react" in message["html"]   # for this viewer
        assert (await react(other, note, "heart")).code == 303
        message = await until(ws, lambda html: "heart: ada" not in html)
        assert message["id"] == str(note["_id"]) and message["type"] == "new"
    finally:
        ws.close()


async def api(client, method, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = b"" if method == "PUT" else None
    return await client.request(method, "/api/v1" + path, body=body, headers=headers)


async def test_the_api_lists_adds_and_takes_back_reactions_with_a_token(db, settings):
    ada, note = await thread(db)
    token = await make_token(await client_for(settings, ada))
    program = Client(settings.site_url)
    path = f"/gists/{GIST}/comments/{note['_id']}/reactions"
    added = await api(program, "PUT", f"{path}/%2B1", token)
    assert added.code == 201 and added.json()["counts"]["+1"] == 1
    assert added.json()["reactions"] == [{"content": "+1", "user": {
        "handle": "ada", "html_url": f"{settings.site_url}/users/ada", "url": f"{settings.site_url}/api/v1/users/ada"}}]
    assert (await api(program, "PUT", f"{path}/+1", token)).code == 200   # had it already: still one
    assert (await api(program, "PUT", f"{path}/rocket", token)).json()["counts"] == {
        "+1": 1, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 1, "eyes": 0}
    listed = await api(program, "GET", path)
    assert listed.code == 200 and [r["content"] for r in listed.json()["reactions"]] == ["+1", "rocket"]
    [shown] = (await api(program, "GET", f"/gists/{GIST}/comments")).json()
    assert shown["reactions"]["rocket"] == 1
    removed = await api(program, "DELETE", f"{path}/+1", token)
    assert removed.code == 200 and removed.json()["counts"]["+1"] == 0
    assert (await api(program, "DELETE", f"{path}/+1", token)).code == 200


async def test_the_api_refuses_a_reaction_without_a_token_of_a_bad_kind_or_on_a_held_comment(db, settings):
    ada, note = await thread(db)
    token = await make_token(await client_for(settings, ada))
    program = Client(settings.site_url)
    path = f"/gists/{GIST}/comments/{note['_id']}/reactions"
    assert (await api(program, "PUT", f"{path}/heart")).code == 401
    bad = await api(program, "PUT", f"{path}/thumbsup", token)
    assert bad.code == 400 and "is not a reaction" in bad.json()["error"]["message"]
    held = await make_comment(db, GIST, ada, "held", hidden=[HELD])
    conflict = await api(program, "PUT", f"/gists/{GIST}/comments/{held['_id']}/reactions/heart", token)
    assert conflict.code == 409 and "takes no reactions" in conflict.json()["error"]["message"]
    assert (await api(program, "GET", f"/gists/{GIST}/comments/{held['_id']}/reactions")).code == 404
    assert (await api(program, "PUT", f"/gists/{GIST}/comments/{'f' * 24}/reactions/heart", token)).code == 404


async def test_reacting_is_rate_limited_like_other_writes(db, settings):
    ada, note = await thread(db)
    # A fixed clock: all 61 fall in one minute's window, however long they take (and it is
    # tomorrow's, so the counter does not expire meanwhile).
    tomorrow = datetime.datetime.now(datetime.UTC).replace(second=30) + datetime.timedelta(days=1)
    service = ReactionService(Storage(db), clock=lambda: tomorrow)
    for _ in range(60):
        assert await service.toggle(GIST, str(note["_id"]), "eyes", ada) is not None
    with pytest.raises(RateLimited, match="at most 60 reactions a minute"):
        await service.toggle(GIST, str(note["_id"]), "eyes", ada)
    assert await stored(db, note) == []   # 60 toggles: on and off, thirty times
