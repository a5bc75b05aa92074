"""Bans: the person's sessions end, they cannot sign in or post, what they wrote is hidden; unbanning restores it."""

import re

from tests.api_calls import api_post
from tests.client import Client
from tests.conftest import sign_in
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, established, report_all
from tests.test_visibility_paths import unmasked

OTHER = "bb6b426e72bf0549c29e"


async def user_id(admin, handle: str) -> str:
    page = (await admin.get(f"/admin/people?q={handle}")).text
    return re.search(r'id="person-([0-9a-f]{24})"', page).group(1)


async def ban(admin, handle: str, action: str = "ban", reason: str = "spammer") -> None:
    response = await admin.post("/admin/people", {"user": await user_id(admin, handle), "action": action,
                                                  "reason": reason})
    assert response.code == 303 and response.location == f"/admin/people?q={handle}", response.text


async def test_a_ban_ends_sessions_and_stops_signing_in_and_posting(site, signed_in, person, settings, outbox, db):
    await submit(signed_in)
    admin, bob = await person(ADMIN), await person("bob@example.com")
    phone = await person("bob@example.com")   # a second session of bob's
    token, _ = await site.services.api.create_token(await db.users.find_one({"handle": "bob"}), "laptop")
    fresh, before = Client(settings.site_url), len(outbox.messages())
    await fresh.post("/auth/email", {"email": "bob@example.com", "next": "/"})
    link = await outbox.last_link(before + 1)   # asked for before the ban, opened after it
    await ban(admin, "bob")
    assert await db.sessions.count_documents({"user_id": (await db.users.find_one({"handle": "bob"}))["_id"]}) == 0
    for client in (bob, phone):
        page = (await client.get("/account"))
        assert page.code in (302, 303) and page.location.startswith("/login")
        response = await client.post(f"/gists/{HELLO}/comments", {"body": "Still here?"})
        assert response.code == 303 and response.location.startswith("/login")
        assert (await client.post(f"/gists/{HELLO}/flag", {"reason": "spam"})).code == 303
    response = await api_post(bob, f"/api/v1/gists/{HELLO}/comments", {"body": "Via the API"}, token)
    assert response.code == 401
    assert await db.comments.count_documents({}) == 0
    response = await fresh.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert response.code == 403 and "suspended" in response.text and "session" not in fresh.cookies
    fresh.close()
    page = (await admin.get("/admin/people?q=bob")).text
    assert '<span class="badge review">banned</span>' in page and "spammer" in page


async def test_a_banned_address_gets_no_sign_in_mail_and_the_page_says_nothing_of_it(signed_in, person, settings,
                                                                                      outbox, db):
    admin, _ = await person(ADMIN), await person("bob@example.com")
    await ban(admin, "bob")
    fresh, before = Client(settings.site_url), len(outbox.messages())
    banned = await fresh.post("/auth/email", {"email": "bob@example.com", "next": "/"})
    stranger = await fresh.post("/auth/email", {"email": "carol@example.com", "next": "/"})
    assert banned.code == stranger.code == 200
    assert unmasked(banned.text.replace("bob@", "carol@")) == unmasked(stranger.text)
    # Mail goes out in order: once carol's link is here, bob's would have been too.
    messages = await outbox.wait_for(before + 1)
    assert [message["To"] for message in messages[before:]] == ["carol@example.com"]
    assert await db.mail_outbox.count_documents({"to": "bob@example.com", "subject": {"$regex": "sign-in"}}) == 1
    assert await db.sign_in_tokens.count_documents({"email": "bob@example.com"}) == 0   # no link made for him
    fresh.close()


async def test_a_ban_hides_what_the_person_wrote_and_lifting_it_restores_it(signed_in, person, settings, outbox, db):
    admin, bob, reporters = await person(ADMIN), await person("bob@example.com"), await established(db, settings, 3)
    await submit(signed_in)
    await submit(bob, OTHER)
    await comment(bob, "Bobs first comment")
    second = await comment(bob, "Bobs second comment")
    await report_all(reporters, comment_id=second)   # hidden by reports too: a lifted ban leaves it hidden
    anonymous = Client(settings.site_url)
    assert "Bobs first comment" in (await anonymous.get(f"/gists/{HELLO}")).text   # in the page cache
    assert OTHER in (await anonymous.get("/")).text   # in the listing cache
    await ban(admin, "bob")
    page = (await anonymous.get(f"/gists/{HELLO}")).text
    assert "Bobs first comment" not in page and page.count("[hidden pending review]") == 2
    assert (await anonymous.get(f"/gists/{OTHER}")).code == 404
    assert OTHER not in (await anonymous.get("/")).text
    assert (await db.gists.find_one({"gist_id": HELLO})).get("comment_count", 0) == 0
    await ban(admin, "bob", "unban", "appealed")
    page = (await anonymous.get(f"/gists/{HELLO}")).text
    assert "Bobs first comment" in page and "Bobs second comment" not in page
    assert (await anonymous.get(f"/gists/{OTHER}")).code == 200 and OTHER in (await anonymous.get("/")).text
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1
    await sign_in(Client(settings.site_url), outbox, "bob@example.com")   # signing in works again
    log = db.moderation_log.find({"target.kind": "person"}).sort([("at", 1), ("_id", 1)])   # no natural order
    actions = [(e["action"], e["reason"]) for e in await log.to_list()]
    assert actions == [("ban", "spammer"), ("unban", "appealed")]
    anonymous.close()
