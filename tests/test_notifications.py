"""Discussion e-mails: who gets them, one per discussion per 10 minutes, settings and unsubscribing."""

import asyncio
import datetime
import re

from bson import ObjectId

from tests.client import Client
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.test_revisions import refresh

ADA = "ada@example.com"   # `signed_in`, who submits the gist


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


async def settled(db) -> None:
    """Wait until no item is due: each one mailed (and removed), dropped, or postponed to its window."""
    for _ in range(200):
        if await db.notifications.count_documents({"due_at": {"$lte": now()}}) == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("discussion e-mails were never flushed")


async def mails_to(db, email: str) -> list[dict]:
    await settled(db)
    return await db.mail_outbox.find({"to": email, "subject": {"$regex": "new comment"}}).sort("_id", 1).to_list()


async def delivered(outbox, subject: str):
    """The message as the file backend wrote it, once the mail queue has sent it."""
    for _ in range(200):
        found = [m for m in outbox.messages() if m["Subject"] == subject]
        if found:
            return found[0]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no message {subject!r} in the outbox")


async def ten_minutes_later(site, db) -> None:
    """Every window reopened and every item due, then one flush, as the flusher would do later.

    The flush the last comment woke finishes first: it would postpone again what this makes due."""
    await settled(db)
    past = now() - datetime.timedelta(seconds=1)
    await db.notification_windows.update_many({}, {"$set": {"reopens_at": past}})
    await db.notifications.update_many({}, {"$set": {"due_at": past}})
    await site.services.notifications.flush()


async def test_the_submitter_is_mailed_a_new_comment_with_a_link_to_it_and_to_unsubscribe(
        site, signed_in, person, outbox, db, settings):
    await submit(signed_in)
    bob = await person("bob@example.com")
    cid = await comment(bob, "Have you tried `gen.coroutine`?\n\nIt was the old way.")
    [mail] = await mails_to(db, ADA)
    assert mail["subject"] == "1 new comment on “Hello, Tornado”"
    message = await delivered(outbox, mail["subject"])
    text = message.get_content()
    assert "bob commented:" in text and "> Have you tried `gen.coroutine`?" in text
    assert f"{settings.site_url}/gists/{HELLO}#comment-{cid}\n" in text
    ada = await db.users.find_one({"email": ADA})
    link = re.search(r"Stop all discussion e-mails \(no sign-in needed\): (\S+)\n", text).group(1)
    assert link == f"{settings.site_url}/unsubscribe/{ada['_id']}/" + link.rsplit("/", 1)[1]

    stranger = Client(settings.site_url)   # no sign-in needed
    try:
        path = link.removeprefix(settings.site_url)
        confirm = await stranger.get(path)
        assert confirm.code == 200 and "Stop discussion e-mails?" in confirm.text
        assert (await db.users.find_one({"email": ADA})).get("notify") is None   # a GET changes nothing
        done = await stranger.post(path)
        assert done.code == 200 and "You are unsubscribed" in done.text
    finally:
        stranger.close()
    assert (await db.users.find_one({"email": ADA}))["notify"] == {"comments": False, "replies": False, "mentions": False}
    await db.rate_limits.delete_many({})
    await comment(bob, "Anyone there?")
    await ten_minutes_later(site, db)
    assert len(await mails_to(db, ADA)) == 1


async def test_one_mail_per_discussion_per_ten_minutes_with_everything_new_since(site, signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    carol = await person("carol@example.com")
    first = await comment(bob, "first")
    assert len(await mails_to(db, ADA)) == 1
    second = await comment(bob, "second")
    third = await comment(carol, "third", file="hello.py", line="7")
    assert await site.services.notifications.flush() == 0
    assert len(await mails_to(db, ADA)) == 1
    pending = await db.notifications.find({"user_id": (await db.users.find_one({"email": ADA}))["_id"]}).to_list()
    assert len(pending) == 2 and all(p["due_at"] > now() + datetime.timedelta(minutes=9) for p in pending)

    await ten_minutes_later(site, db)
    mails = await mails_to(db, ADA)
    assert len(mails) == 2
    assert mails[1]["subject"] == "2 new comments on “Hello, Tornado”"
    text = mails[1]["text"]
    assert f"#comment-{second}" in text and f"#comment-{third}" in text and f"#comment-{first}" not in text
    assert "carol commented on hello.py line 7:" in text
    assert await db.notifications.count_documents({}) == 0


async def test_replies_mail_the_parent_author_and_nobody_is_mailed_about_their_own_words(
        site, signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    carol = await person("carol@example.com")
    own = await comment(signed_in, "my own gist, my own comment")
    assert await mails_to(db, ADA) == []
    await comment(bob, "a reply to ada", parent=own)
    [mail] = await mails_to(db, ADA)
    assert "bob replied to your comment:" in mail["text"]
    bobs = await comment(bob, "bob's own thread")
    await comment(bob, "bob answering himself", parent=bobs)
    await comment(carol, "carol to bob", parent=bobs)
    [mail] = await mails_to(db, "bob@example.com")
    assert "carol replied to your comment:" in mail["text"] and "answering himself" not in mail["text"]
    assert await mails_to(db, "carol@example.com") == []


async def test_the_settings_on_the_account_switch_each_kind_off(site, signed_in, person, db):
    await submit(signed_in)
    await db.users.update_one({"email": ADA}, {"$set": {"notify": {"comments": False, "replies": True}}})
    bob = await person("bob@example.com")
    await comment(bob, "a comment ada does not want to hear of")
    assert await mails_to(db, ADA) == []
    own = await comment(signed_in, "ada speaks")
    await comment(bob, "a reply ada wants", parent=own)
    [mail] = await mails_to(db, ADA)
    assert "a reply ada wants" in mail["text"] and "does not want" not in mail["text"]


async def test_a_comment_deleted_before_its_mail_goes_out_is_not_mailed(site, signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    await comment(bob, "first")
    assert len(await mails_to(db, ADA)) == 1
    regret = await comment(bob, "something I regret")
    assert (await bob.post(f"/gists/{HELLO}/comments/{regret}/delete")).code == 303
    await ten_minutes_later(site, db)
    assert len(await mails_to(db, ADA)) == 1
    assert await db.notifications.count_documents({}) == 0


async def test_two_processes_flushing_at_once_send_one_mail(site, signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    await comment(bob, "first")
    assert len(await mails_to(db, ADA)) == 1
    await comment(bob, "second")
    await settled(db)
    past = now() - datetime.timedelta(seconds=1)
    await db.notification_windows.update_many({}, {"$set": {"reopens_at": past}})
    await db.notifications.update_many({}, {"$set": {"due_at": past}})
    flush = site.services.notifications.flush
    assert sum(await asyncio.gather(flush(), flush(), flush())) <= 1
    assert len(await mails_to(db, ADA)) == 2


async def test_a_forged_unsubscribe_link_is_refused(site, signed_in, db):
    ada = await db.users.find_one({"email": ADA})
    good = site.services.notifications.unsubscribe_url(ada["_id"]).rsplit("/", 1)[1]
    forged = ("0" if good[0] != "0" else "1") + good[1:]
    for user_id, token in ((ada["_id"], forged), (ObjectId(), good)):
        assert (await signed_in.get(f"/unsubscribe/{user_id}/{token}")).code == 400
        response = await signed_in.post(f"/unsubscribe/{user_id}/{token}")
        assert response.code == 400 and "not valid" in response.text
    assert (await signed_in.get(f"/unsubscribe/{ada['_id']}/short")).code == 404
    assert (await db.users.find_one({"email": ADA})).get("notify") is None


async def test_a_discussion_mail_carries_one_click_unsubscribe_headers(site, signed_in, person, outbox, db, settings):
    """RFC 2369 / 8058: the mail client's own button POSTs `List-Unsubscribe=One-Click`, with no cookies."""
    await submit(signed_in)
    await comment(await person("bob@example.com"), "Nice one.")
    [mail] = await mails_to(db, ADA)
    message = await delivered(outbox, mail["subject"])
    ada = await db.users.find_one({"email": ADA})
    url = site.services.notifications.unsubscribe_url(ada["_id"])
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = next(p.read_bytes() for p in outbox.directory.glob("*.eml") if b"List-Unsubscribe:" in p.read_bytes())
    assert f"\nList-Unsubscribe: <{url}>\n".encode() in raw   # one line, never RFC 2047-encoded

    provider = Client(settings.site_url)   # no cookies, no _xsrf: the mail provider's POST
    try:
        response = await provider.request("POST", url.removeprefix(settings.site_url),
                                          body="List-Unsubscribe=One-Click",
                                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.code == 200 and "You are unsubscribed" in response.text
        assert provider.cookies.get("session") is None
        forged = url[:-1] + ("0" if url[-1] != "0" else "1")
        response = await provider.request("POST", forged.removeprefix(settings.site_url),
                                          body="List-Unsubscribe=One-Click")
        assert response.code == 400
    finally:
        provider.close()
    assert (await db.users.find_one({"email": ADA}))["notify"] == {"comments": False, "replies": False, "mentions": False}


def github_now() -> str:
    """A time on GitHub after the submission: GitHub gives whole seconds, so the next one."""
    return (now() + datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_comments_found_on_github_at_a_refresh_go_into_the_same_batched_mail(
        site, signed_in, person, fake_github, db):
    fake_github.add_comment(HELLO, "Written on GitHub before the submission")
    await submit(signed_in)
    assert await mails_to(db, ADA) == []   # what came with the gist is not news
    fake_github.add_comment(HELLO, "Found at a refresh", login="octodog", at=github_now())
    await refresh(signed_in, db)
    [mail] = await mails_to(db, ADA)
    assert "octodog commented on GitHub:" in mail["text"] and "> Found at a refresh" in mail["text"]
    assert "before the submission" not in mail["text"]

    bob = await person("bob@example.com")
    await comment(bob, "Ours, in the same window")
    fake_github.add_comment(HELLO, "GitHub's, in the same window", at=github_now())
    await refresh(signed_in, db)
    await ten_minutes_later(site, db)
    second = (await mails_to(db, ADA))[1]
    assert second["subject"] == "2 new comments on “Hello, Tornado”"
    assert "bob commented:" in second["text"] and "octocat commented on GitHub:" in second["text"]


async def test_github_comments_honour_the_account_settings(site, signed_in, fake_github, db):
    await submit(signed_in)
    await db.users.update_one({"email": ADA}, {"$set": {"notify": {"comments": False, "replies": False}}})
    fake_github.add_comment(HELLO, "Nobody wants to hear of this one", at=github_now())
    await refresh(signed_in, db)
    assert "Nobody wants" in (await signed_in.get(f"/gists/{HELLO}")).text
    assert await mails_to(db, ADA) == []
