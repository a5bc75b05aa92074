"""One visibility rule (services/visibility.py) on every read path: a comment hidden by reports, a comment
the spam score held, and a comment on a hidden gist, as anonymous, another person, its author and an admin."""

import pytest
import tornado.httpclient

from tests.client import Client
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, established, report_all
from tests.test_comment_live import connect, next_message, now_ms
from tests.test_spam import SPAM

WORD = "quetzalvisible"   # a word nothing else on the site says
VIEWERS = ("anonymous", "other", "author", "admin")


async def hidden_by_reports(signed_in, bob, db, settings) -> tuple[str, str]:
    cid = await comment(bob, f"A comment about {WORD}")
    await report_all(await established(db, settings, 3), comment_id=cid)
    return cid, WORD


async def held(signed_in, bob, db, settings) -> tuple[str, str]:
    return await comment(bob, SPAM), "watches.example"


async def on_hidden_gist(signed_in, bob, db, settings) -> tuple[str, str]:
    cid = await comment(bob, f"A comment about {WORD}")
    await report_all(await established(db, settings, 3))
    return cid, WORD


# state -> viewer -> (sees the comment's text on the gist page and its history, the gist page's status)
CASES = {
    hidden_by_reports: {"anonymous": (False, 200), "other": (False, 200), "author": (True, 200), "admin": (True, 200)},
    held: {"anonymous": (False, 200), "other": (False, 200), "author": (True, 200), "admin": (True, 200)},
    # The comment's author is not the gist's submitter: a hidden gist is out of their view too.
    on_hidden_gist: {"anonymous": (False, 404), "other": (False, 404), "author": (False, 404), "admin": (True, 200)},
}


@pytest.fixture
async def viewers(signed_in, person, settings):
    """bob writes the comments; carol is another person; ada (signed_in) submitted the gist."""
    anonymous = Client(settings.site_url)
    found = {"anonymous": anonymous, "author": await person("bob@example.com"),
             "other": await person("carol@example.com"), "admin": await person(ADMIN)}
    yield found
    anonymous.close()


async def live_replay(settings, viewer: Client, since: int, cid: str) -> dict | None:
    """What a page opened before `cid` was posted is told of it on reconnecting; None for a 404."""
    try:
        ws = await connect(settings.site_url, since=since, cookies=viewer.cookies)
    except tornado.httpclient.HTTPClientError as error:
        assert error.code == 404
        return None
    try:
        while (message := await next_message(ws))["id"] != cid:
            pass
        return message
    finally:
        ws.close()


@pytest.mark.parametrize("state", CASES, ids=lambda state: state.__name__)
async def test_every_read_path_shows_a_comment_to_those_the_rule_allows(state, signed_in, viewers, db, settings):
    await submit(signed_in)
    since = now_ms() - 1000
    cid, sign = await state(signed_in, viewers["author"], db, settings)
    for name, viewer in viewers.items():
        sees, status = CASES[state][name]
        page = await viewer.get(f"/gists/{HELLO}")
        assert page.code == status and (sign in page.text) == sees, name
        history = await viewer.get(f"/gists/{HELLO}/comments/{cid}/history")
        assert history.code == (200 if sees else 404) and (sign in history.text) == sees, name
        # A person's tab, the API and the feeds read as anyone: never a hidden comment, nor one on a hidden gist.
        tab = await viewer.get("/users/bob/comments")
        assert tab.code == 200 and sign not in tab.text and cid not in tab.text, name
        api = await viewer.get(f"/api/v1/gists/{HELLO}/comments")
        assert sign not in api.text and api.code == (404 if state is on_hidden_gist else 200), name
        assert sign not in (await viewer.get(f"/gists/{HELLO}/comments.atom")).text, name
        message = await live_replay(settings, viewer, since, cid)
        if status == 404:
            assert message is None, name
        else:
            assert (sign in message["html"]) == sees and (message["type"] == "new") == sees, name
        # Replying needs a comment the replier may see: no reply reveals (or notifies of) a hidden one.
        reply = await viewer.post(f"/gists/{HELLO}/comments", {"body": "An answer", "parent": cid})
        if name != "anonymous":
            assert reply.code == (303 if sees else 404 if status == 404 else 400), name
