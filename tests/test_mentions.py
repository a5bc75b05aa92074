"""@handle mentions: linked to the person, who is mailed once per comment; never from code, a held
comment or past the tenth person."""

import json

from bson import ObjectId

from tests.client import Client
from tests.crafted import make_user
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN
from tests.test_notifications import ADA, mails_to, ten_minutes_later
from tests.test_spam import SPAM
from tornadogists.text.markdown import LINK_REL
from tornadogists.text.mentions import MAX_MENTIONS

CAROL = "carol@example.com"


def link(handle: str, written: str | None = None) -> str:
    return f'<a href="/users/{handle}" rel="{LINK_REL}">@{written or handle}</a>'


async def mention_items(db, user: dict) -> list[dict]:
    return await db.notifications.find({"user_id": user["_id"], "reasons": "mention"}).to_list()


async def test_a_mention_links_to_the_person_who_is_mailed_once(site, signed_in, person, outbox, db, settings):
    await submit(signed_in)
    bob, carol = await person("bob@example.com"), await person(CAROL)
    cid = await comment(bob, "Thanks @carol! And again, @Carol; not @nobody-here, nor bob@carol.example.")
    page = (await Client(settings.site_url).get(f"/gists/{HELLO}")).text
    assert link("carol") in page and link("carol", "Carol") in page
    assert "not @nobody-here, nor bob@carol.example." in page and "/users/nobody-here" not in page
    [mail] = await mails_to(db, CAROL)
    message = next(m for m in outbox.messages() if m["To"] == CAROL and m["Subject"] == mail["subject"])
    assert "bob mentioned you:" in message.get_content()
    assert f"{settings.site_url}/gists/{HELLO}#comment-{cid}" in message.get_content()
    [ada_mail] = await mails_to(db, ADA)   # the submitter hears as before
    assert ada_mail["subject"] == mail["subject"]
    await ten_minutes_later(site, db)
    assert len(await mails_to(db, CAROL)) == 1
    carol.close()


async def test_mentions_in_code_are_not_links_and_tell_nobody(signed_in, person, db):
    await submit(signed_in)
    bob, _ = await person("bob@example.com"), await person(CAROL)
    cid = await comment(bob, "Run `ping @carol`, or:\n\n```python\n@carol\ndef f(): pass\n```\n\n    @carol indented")
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert "/users/carol" not in stored["html"] and stored["mentions"] == []
    assert await mails_to(db, CAROL) == []


async def test_a_held_comment_tells_nobody_until_it_is_published(site, signed_in, person, db):
    await submit(signed_in)
    admin, bob, _ = await person(ADMIN), await person("bob@example.com"), await person(CAROL)
    cid = await comment(bob, SPAM + " @carol")
    carol = await db.users.find_one({"email": CAROL})
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["hidden"] == ["held"] and stored["mentions"] == [carol["_id"]]
    assert await mention_items(db, carol) == [] and await mails_to(db, CAROL) == []
    response = await admin.post("/admin/held", {"item": f"comment:{cid}", "action": "publish", "reason": "fine"})
    assert response.code == 303
    await site.services.notifications.flush()
    [mail] = await mails_to(db, CAROL)
    assert mail["subject"] == "1 new comment on “Hello, Tornado”"


async def test_only_the_first_ten_people_mentioned_are_linked_and_told(signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    people = [await make_user(db, f"reader{n}") for n in range(MAX_MENTIONS + 2)]
    body = " ".join(f"@{p['handle']}" for p in people) + " and @reader0 again"
    cid = await comment(bob, body)
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["mentions"] == [p["_id"] for p in people[:MAX_MENTIONS]]
    assert stored["html"].count(link("reader0")) == 2
    assert link("reader10") not in stored["html"] and "@reader10 @reader11 and" in stored["html"]
    told = await db.notifications.distinct("user_id", {"reasons": "mention"})
    assert set(told) <= {p["_id"] for p in people[:MAX_MENTIONS]}   # some may be mailed already
    for extra in people[MAX_MENTIONS:]:
        assert await mention_items(db, extra) == []


async def test_an_edit_tells_only_the_people_it_mentions_first(site, signed_in, person, db):
    await submit(signed_in)
    bob, _, _ = await person("bob@example.com"), await person(CAROL), await person("dan@example.com")
    cid = await comment(bob, "cc @carol")
    path = f"/gists/{HELLO}/comments/{cid}/edit"
    assert (await bob.post(path, {"body": "cc @carol @dan"})).code == 303
    assert (await bob.post(path, {"body": "cc @carol @dan, thanks"})).code == 303
    await ten_minutes_later(site, db)
    assert len(await mails_to(db, CAROL)) == 1 and len(await mails_to(db, "dan@example.com")) == 1
    assert "/users/dan" in (await db.comments.find_one({"_id": ObjectId(cid)}))["html"]


async def test_mentions_respect_the_setting_and_never_mail_the_writer(signed_in, person, db):
    await submit(signed_in)
    bob, carol = await person("bob@example.com"), await person(CAROL)
    form = {"notify_comments": "1", "notify_replies": "1"}   # mentions unticked
    assert (await carol.post("/account/notifications", form)).code == 303
    await comment(bob, "@carol @bob")
    assert await mails_to(db, CAROL) == [] and await mails_to(db, "bob@example.com") == []


async def test_a_github_login_links_to_the_person_it_belongs_to(signed_in, person, db):
    await submit(signed_in)
    await make_user(db, "octo", github={"id": 583231, "login": "OctoQuill"})
    bob = await person("bob@example.com")
    cid = await comment(bob, "Ask @octoquill.")
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert link("octo", "octoquill") in stored["html"] and len(stored["mentions"]) == 1


async def test_the_preview_links_mentions_too(signed_in, person):
    await person(CAROL)
    response = await signed_in.post("/preview", {"body": "hi @carol"})
    assert response.code == 200 and link("carol") in json.loads(response.text)["html"]
