"""Hiding at `flags_to_hide` reporters: placeholders for others, marked for the author and admins, gone from
every listing, feed, search, sitemap and e-mail — at once, whatever was cached."""

import datetime

from tests.client import Client
from tests.test_comment_live import connect, next_message
from tests.discussion import HELLO, comment, person, shape, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, established, report, report_all

WORD = "zanzibarquux"   # a word nothing else on the site says


async def anonymous_page(settings, path: str):
    anonymous = Client(settings.site_url)
    try:
        return await anonymous.get(path)
    finally:
        anonymous.close()


async def test_three_reporters_hide_a_comment_and_its_replies_stay(signed_in, person, settings, db):
    await submit(signed_in)
    bob, admin, reporters = await person("bob@example.com"), await person(ADMIN), await established(db, settings, 3)
    cid = await comment(bob, f"Buy my {WORD} course")
    reply = await comment(signed_in, "Please don't.", parent=cid)
    before = (await anonymous_page(settings, f"/gists/{HELLO}")).text   # now in the page cache
    assert WORD in before
    await report_all(reporters[:2], comment_id=cid)
    assert WORD in (await anonymous_page(settings, f"/gists/{HELLO}")).text   # two are not enough
    await report_all(reporters[2:], comment_id=cid)
    after = (await anonymous_page(settings, f"/gists/{HELLO}")).text
    assert WORD not in after and "[hidden pending review]" in after
    assert shape(after)[0] == [(cid, [(reply, [])])]   # the thread keeps its reply, under the placeholder
    assert '<span class="count">1</span>' in after     # the reply is the one public comment
    # Its author and the admins still see it, marked.
    for viewer in (bob, admin):
        page = (await viewer.get(f"/gists/{HELLO}")).text
        assert WORD in page and '<span class="badge review">hidden pending review</span>' in page
    stored = await db.comments.find_one({"author.handle": "bob"})
    assert stored["hidden"] == ["reports"]
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1


async def test_a_hidden_comment_leaves_feeds_search_listings_and_the_persons_page(signed_in, person, settings, db):
    await submit(signed_in)
    bob, reporters = await person("bob@example.com"), await established(db, settings, 3)
    cid = await comment(bob, f"About {WORD}")
    # The search page says the query itself: there, the sign of a result is a link to the gist.
    paths = {"/feeds/comments.atom": WORD, f"/gists/{HELLO}/comments.atom": WORD,
             f"/search?q={WORD}": f'href="/gists/{HELLO}', "/users/bob/comments": WORD,
             "/?sort=discussed": f'<h2><a href="/gists/{HELLO}">'}
    for path, sign in paths.items():   # seen, so in every cache
        assert sign in (await anonymous_page(settings, path)).text, path
    await report_all(reporters, comment_id=cid)
    for path, sign in paths.items():
        response = await anonymous_page(settings, path)
        assert response.code == 200 and sign not in response.text, path
    assert f'href="/gists/{HELLO}#discussion">1 comment</a>' not in (await anonymous_page(settings, "/")).text


async def test_a_hidden_comment_is_left_out_of_discussion_emails(site, signed_in, person, settings, db):
    await submit(signed_in)
    bob, reporters = await person("bob@example.com"), await established(db, settings, 3)
    await comment(bob, "A first, ordinary comment")        # mailed at once; ada's window closes for 10 minutes
    hidden = await comment(bob, f"Spam about {WORD}")      # waits for the window
    await comment(bob, "A third, ordinary comment")
    await report_all(reporters, comment_id=hidden)
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)   # ten minutes later
    await db.notification_windows.update_many({}, {"$set": {"reopens_at": past}})
    await db.notifications.update_many({}, {"$set": {"due_at": past}})
    await site.services.notifications.flush()
    mails = await db.mail_outbox.find({"to": "ada@example.com", "subject": {"$regex": "new comment"}}).sort(
        [("created_at", 1), ("_id", 1)]).to_list()   # sending one rewrites it: no natural order to trust
    assert len(mails) == 2
    assert "A third, ordinary comment" in mails[1]["text"] and WORD not in mails[1]["text"]
    assert mails[1]["subject"].startswith("1 new comment")


async def test_a_hidden_gist_leaves_every_listing_feed_search_and_the_sitemap(signed_in, person, settings, db):
    await submit(signed_in)
    bob, admin, reporters = await person("bob@example.com"), await person(ADMIN), await established(db, settings, 3)
    title = "Hello, Tornado"
    paths = ["/", "/?sort=loved", "/feeds/gists.atom", "/feeds/gists.rss", "/users/ada", "/users/ada/feed.atom",
             "/sitemaps/2.xml", "/search?q=Tornado", "/api/v1/gists"]   # sitemap file 1: listings, tags
    for path in paths:
        assert HELLO in (await anonymous_page(settings, path)).text, path
    anonymous = await anonymous_page(settings, f"/gists/{HELLO}")   # in the page cache too
    assert title in anonymous.text
    await report_all(reporters)
    for path in paths:
        response = await anonymous_page(settings, path)
        assert response.code == 200 and HELLO not in response.text, path
    page = await anonymous_page(settings, f"/gists/{HELLO}")
    # The 404 of an unknown gist: nothing says it is hidden.
    assert page.code == 404 and "pending review" not in page.text and "hello.py" not in page.text
    for path in (f"/gists/{HELLO}/raw/hello.py", f"/gists/{HELLO}/comments.atom", f"/api/v1/gists/{HELLO}",
                 f"/api/v1/gists/{HELLO}/comments"):
        assert (await anonymous_page(settings, path)).code == 404, path
    # Its submitter and the admins still see it, marked; its submitter may read the raw file.
    for viewer in (signed_in, admin):
        page = await viewer.get(f"/gists/{HELLO}")
        assert page.code == 200 and "hello.py" in page.text and "hidden pending review" in page.text
    assert (await signed_in.get(f"/gists/{HELLO}/raw/hello.py")).code == 200
    # Others cannot comment on it, nor follow its discussion live.
    assert (await bob.post(f"/gists/{HELLO}/comments", {"body": "hi"})).code == 404
    assert (await bob.get(f"/gists/{HELLO}/live")).code == 404


async def test_reports_by_the_same_person_count_once(signed_in, person):
    await submit(signed_in)
    bob = await person("bob@example.com")
    for reason in ("spam", "abuse", "other"):
        assert (await report(bob, reason=reason)).code == 200
    carol = await person("carol@example.com")
    assert (await report(carol)).code == 200
    assert (await signed_in.get(f"/gists/{HELLO}")).code == 200
    assert HELLO in (await bob.get("/")).text


async def message_about(ws, comment_id: str, kind: str | None = None) -> dict:
    """The next message about this comment (of this type): a new socket first replays the last seconds."""
    while True:
        message = await next_message(ws)
        if message.get("id") == comment_id and kind in (None, message["type"]):
            return message


async def test_an_open_page_hears_of_the_hiding_and_its_author_keeps_seeing_it(signed_in, person, settings, db):
    await submit(signed_in)
    bob, reporters = await person("bob@example.com"), await established(db, settings, 3)
    cid = await comment(bob, f"Soon hidden: {WORD}")
    reader = await connect(settings.site_url)
    author = await connect(settings.site_url, cookies=bob.cookies)
    assert WORD in (await message_about(reader, cid, "new"))["html"]
    await message_about(author, cid, "new")
    await report_all(reporters, comment_id=cid)
    seen = await message_about(reader, cid)
    assert seen["type"] == "deleted" and WORD not in seen["html"] and "[hidden pending review]" in seen["html"]
    own = await message_about(author, cid)
    assert own["type"] == "new" and WORD in own["html"] and "hidden pending review" in own["html"]
    # A held comment is never pushed to others' pages: they are sent nothing they could show.
    held = await comment(bob, "Buy https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4")
    assert "awaiting review" in (await message_about(author, held))["html"]
    theirs = await message_about(reader, held)
    assert theirs["type"] == "deleted" and theirs["html"].strip() == ""
    reader.close()
    author.close()
