"""One visibility rule (services/visibility.py) on every read path: a comment hidden by reports, a comment
the spam score held, and a comment on a hidden gist, as anonymous, another person, its author and an admin."""

import datetime
import re

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


# viewer -> may read the hidden gist (its page, raw file, revisions); ada submitted it.
GIST_VIEWERS = {"anonymous": False, "other": False, "author": False, "submitter": True, "admin": True}
UNKNOWN = "ffffffffffffffffffff"


def unmasked(html: str) -> str:
    """A page with its form tokens left out: each answer masks the token afresh."""
    return re.sub(r'name="_xsrf" value="[^"]*"', "", html)


async def test_a_hidden_gist_is_an_unknown_gist_to_all_but_its_submitter_and_admins(signed_in, viewers, db, settings):
    await submit(signed_in)
    await report_all(await established(db, settings, 3))
    everyone = {**viewers, "submitter": signed_in}
    for name, sees in GIST_VIEWERS.items():
        viewer = everyone[name]
        for path in ("", "/raw/hello.py", "/revisions", "/comments.atom"):
            hidden, unknown = await viewer.get(f"/gists/{HELLO}{path}"), await viewer.get(f"/gists/{UNKNOWN}{path}")
            if sees and path != "/comments.atom":   # a feed reads as anyone
                assert hidden.code == 200, (name, path)
            else:   # the same answer as for a gist never submitted: nothing says it exists
                assert hidden.code == unknown.code == 404, (name, path)
                assert unmasked(hidden.text.replace(HELLO, UNKNOWN)) == unmasked(unknown.text), (name, path)
                assert "pending review" not in hidden.text, (name, path)
        # Embeds and the API read as anyone.
        for path in (f"/gists/{HELLO}.js", f"/gists/{HELLO}/embed", f"/api/v1/gists/{HELLO}"):
            assert (await viewer.get(path)).code == 404, (name, path)


async def test_a_hidden_gist_takes_no_loves_and_strangers_cannot_refresh_it(signed_in, viewers, db, settings):
    await submit(signed_in)
    await report_all(await established(db, settings, 3))
    everyone = {**viewers, "submitter": signed_in}
    before = await db.gists.find_one({"gist_id": HELLO})
    for name, sees in GIST_VIEWERS.items():
        if name == "anonymous":
            continue
        love = await everyone[name].post(f"/gists/{HELLO}/love")
        assert love.code == (409 if sees else 404), name
        assert sees == ("takes no loves until it is shown again" in love.text), name
        refresh = await everyone[name].post(f"/gists/{HELLO}/refresh")
        # Its submitter's refresh and then an admin's: the second finds it fetched a moment ago.
        assert refresh.code in ((303, 429) if sees else (404,)), name
    after = await db.gists.find_one({"gist_id": HELLO})
    assert after["loves"] == 0 and await db.loves.count_documents({}) == 0
    assert after["hidden"] == before["hidden"] == ["reports"]


async def test_a_gist_an_admin_deleted_is_never_fetched_again(signed_in, viewers, db, settings):
    await submit(signed_in)
    admin = viewers["admin"]
    assert (await admin.post(f"/admin/gists/{HELLO}", {"action": "delete", "reason": "malware"})).code == 303
    assert await db.gist_files.count_documents({"_id": HELLO}) == 0
    for viewer in (signed_in, admin, viewers["other"]):
        assert (await viewer.post(f"/gists/{HELLO}/refresh")).code == 404
    assert (await admin.post(f"/admin/gists/{HELLO}", {"action": "refetch"})).code == 404
    # A view of the stale record starts no background refresh either.
    await db.gists.update_one({"gist_id": HELLO}, {"$set": {"fetched_at": datetime.datetime(2020, 1, 1)}})
    assert (await admin.get(f"/gists/{HELLO}")).code == 404
    assert (await signed_in.post("/gists", {"url": HELLO})).code == 400
    assert await db.gist_files.count_documents({"_id": HELLO}) == 0
    stored = await db.gists.find_one({"gist_id": HELLO})
    assert stored["hidden"] == ["removed"] and stored["fetched_at"].year == 2020


async def test_no_email_tells_of_a_comment_on_a_gist_hidden_before_it_went_out(site, signed_in, viewers, db, settings):
    await submit(signed_in)
    await comment(viewers["author"], "A first, ordinary comment")   # mailed at once; ada's window closes
    await comment(viewers["author"], f"A comment about {WORD}")     # waits for the window
    await report_all(await established(db, settings, 3))            # the gist is hidden meanwhile
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)   # ten minutes later
    await db.notification_windows.update_many({}, {"$set": {"reopens_at": past}})
    await db.notifications.update_many({}, {"$set": {"due_at": past}})
    await site.services.notifications.flush()
    mails = await db.mail_outbox.find({"subject": {"$regex": "new comment"}}).to_list()
    assert len(mails) == 1 and WORD not in mails[0]["text"]
    assert await db.notifications.count_documents({}) == 0   # dropped, not kept for later
