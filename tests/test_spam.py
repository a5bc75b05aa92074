"""The spam score: link-stuffed comments and intros are held for review, ordinary ones go out; admins decide."""

import datetime

import pytest
from bson import ObjectId

from tests.client import Client
from tests.conftest import sign_in
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, another_site, give_standing, report
from tornadogists.config import ConfigError, load_settings
from tornadogists.text.spam import score

SPAM = ("Cheap watches https://watches.example/a https://watches.example/b https://watches.example/c "
        "https://watches.example/d")
ORDINARY = ("Nice handler! The docs at https://www.tornadoweb.org/en/stable/web.html explain why prepare() "
            "runs before get(); I used it the same way in my own project.")
DAY = datetime.timedelta(days=1)


def test_the_score_follows_the_rules_in_the_readme():
    assert score("No links at all, however long the text or new the account.", set(), datetime.timedelta(0), 50) \
        .points == 0
    spam = score(SPAM, set(), datetime.timedelta(minutes=5), 0)
    assert spam.points == 34 + 20 + 10 and len(spam.reasons) == 3
    assert score(SPAM, set(), 400 * DAY, 0).points == 54          # an old account's link list is still held
    assert score(ORDINARY, set(), datetime.timedelta(minutes=5), 0).points < 50
    assert score(ORDINARY, set(), 3 * DAY, 0).points == score(ORDINARY, set(), 400 * DAY, 0).points + 5
    assert score(ORDINARY, set(), 400 * DAY, 20).points == score(ORDINARY, set(), 400 * DAY, 0).points
    assert score(ORDINARY, set(), 400 * DAY, 23).points == score(ORDINARY, set(), 400 * DAY, 0).points + 15
    assert score(ORDINARY, set(), 400 * DAY, 2, 1).points == score(ORDINARY, set(), 400 * DAY, 2).points + 25
    assert score(ORDINARY, set(), 400 * DAY, 9, 5).points == score(ORDINARY, set(), 400 * DAY, 9).points + 50
    assert score(ORDINARY, set(), 400 * DAY, 100).points == score(ORDINARY, set(), 400 * DAY, 0).points + 25
    banned = score("see www.Shop.Pills.example/x for more", {"pills.example"}, 400 * DAY, 0)
    assert banned.points > 100 and "links to banned hosts: www.shop.pills.example" in banned.reasons[-1]
    assert score("see https://notpills.example/x", {"pills.example"}, 400 * DAY, 0).points < 50


def test_the_thresholds_are_settings_with_checked_values():
    settings = load_settings(["--flags_to_hide=5", "--spam_threshold=70", "--role=admin"], environ={},
                             config_file="/nonexistent")
    assert (settings.flags_to_hide, settings.spam_threshold, settings.role) == (5, 70, "admin")
    assert load_settings([], environ={}, config_file="/nonexistent").spam_threshold == 50
    for bad in ("--flags_to_hide=0", "--spam_threshold=-1", "--role=both", "--flags_to_hide=x"):
        with pytest.raises(ConfigError):
            load_settings([bad], environ={}, config_file="/nonexistent")


async def test_a_link_stuffed_comment_is_held_for_review(signed_in, person, settings, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    cid = await comment(bob, SPAM)
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["hidden"] == ["held"]
    own = (await bob.get(f"/gists/{HELLO}")).text
    assert "watches.example/a" in own and '<span class="badge review">awaiting review</span>' in own
    anonymous = Client(settings.site_url)
    page = (await anonymous.get(f"/gists/{HELLO}")).text
    assert "watches.example" not in page and "[hidden pending review]" not in page and cid not in page
    assert "watches.example" not in (await anonymous.get("/feeds/comments.atom")).text
    assert (await db.gists.find_one({"gist_id": HELLO})).get("comment_count", 0) == 0
    assert await db.notifications.count_documents({}) == 0   # nobody is told of it
    [entry] = await db.moderation_log.find({"action": "hold"}).to_list()
    assert entry["by"] is None and "+34: 85% of the text is links" in entry["reason"]
    anonymous.close()


async def test_an_ordinary_comment_with_a_link_is_published(signed_in, person, settings, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    cid = await comment(bob, ORDINARY)
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == []
    anonymous = Client(settings.site_url)
    assert "www.tornadoweb.org/en/stable/web.html" in (await anonymous.get(f"/gists/{HELLO}")).text
    anonymous.close()


async def test_publishing_a_held_comment_shows_it_and_sends_its_emails(site, signed_in, person, settings, db):
    await submit(signed_in)
    admin, bob = await person(ADMIN), await person("bob@example.com")
    cid = await comment(bob, SPAM)
    held = (await admin.get("/admin/held")).text
    assert f'value="comment:{cid}"' in held and "Score: +34: 85% of the text is links" in held
    response = await admin.post("/admin/held", {"item": f"comment:{cid}", "action": "publish", "reason": "a shop"})
    assert response.code == 303 and response.location == "/admin/held"
    assert "Nothing is held." in (await admin.get("/admin/held")).text
    anonymous = Client(settings.site_url)
    assert "watches.example/a" in (await anonymous.get(f"/gists/{HELLO}")).text
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1
    await site.services.notifications.flush()
    assert await db.mail_outbox.count_documents({"to": "ada@example.com", "subject": {"$regex": "new comment"}}) == 1
    actions = [(e["action"], e["by"] and e["by"]["handle"]) for e in await db.moderation_log.find().sort("at", 1).to_list()]
    assert actions == [("hold", None), ("publish", "admin-user")]
    anonymous.close()


async def test_a_comment_edited_into_spam_is_held_too(signed_in, person, settings, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    cid = await comment(bob, "A harmless first version.")
    response = await bob.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": SPAM})
    assert response.code == 303
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["hidden"] == ["held"] and stored["held_why"] == ["much of it is links", "it has 4 links", "your account is new"]
    anonymous = Client(settings.site_url)
    assert "watches.example" not in (await anonymous.get(f"/gists/{HELLO}")).text
    own = (await bob.get(f"/gists/{HELLO}")).text
    assert "awaiting review" in own and "held it because much of it is links, it has 4 links and your account is new." in own
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 0
    anonymous.close()


async def test_removing_a_held_comment_deletes_it(signed_in, person, db):
    await submit(signed_in)
    admin, bob = await person(ADMIN), await person("bob@example.com")
    cid = await comment(bob, SPAM)
    assert (await admin.post("/admin/held", {"item": f"comment:{cid}", "action": "remove"})).code == 303
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["deleted"] is True
    assert (await db.gists.find_one({"gist_id": HELLO})).get("comment_count", 0) == 0
    assert "watches.example" not in (await bob.get(f"/gists/{HELLO}")).text


async def test_a_link_to_a_banned_host_holds_even_an_old_accounts_comment(signed_in, person, db):
    await submit(signed_in)
    admin, bob = await person(ADMIN), await person("bob@example.com")
    await db.users.update_one({"handle": "bob"}, {"$set": {"created_at": datetime.datetime(2015, 1, 1)}})
    assert (await admin.post("/admin/hosts", {"action": "add", "host": "pills.example"})).code == 303
    text = "I found this very helpful write-up on handlers: https://blog.pills.example/tornado and recommend it."
    held = await comment(bob, text)
    assert (await db.comments.find_one({"_id": ObjectId(held)}))["hidden"] == ["held"]
    assert "pills.example" in (await admin.get("/admin/hosts")).text
    assert (await admin.post("/admin/hosts", {"action": "remove", "host": "pills.example"})).code == 303
    again = await comment(bob, text + " Really.")
    assert (await db.comments.find_one({"_id": ObjectId(again)}))["hidden"] == []


async def test_a_spammy_intro_holds_the_submitted_gist(signed_in, person, settings, db):
    admin, bob = await person(ADMIN), await person("bob@example.com")
    response = await bob.post("/gists", {"url": HELLO, "intro": SPAM})
    assert response.code == 303 and response.location == f"/gists/{HELLO}"
    own = await bob.get(f"/gists/{HELLO}")
    assert own.code == 200 and "awaiting review" in own.text
    assert "held it because much of it is links, it has 4 links and your account is new." in own.text
    anonymous = Client(settings.site_url)
    page = await anonymous.get(f"/gists/{HELLO}")
    assert page.code == 404 and "pending review" not in page.text   # never published: nothing to say
    assert HELLO not in (await anonymous.get("/")).text
    assert f'value="gist:{HELLO}"' in (await admin.get("/admin/held")).text
    await admin.post("/admin/held", {"item": f"gist:{HELLO}", "action": "publish"})
    assert (await anonymous.get(f"/gists/{HELLO}")).code == 200 and HELLO in (await anonymous.get("/")).text
    anonymous.close()


async def test_flags_to_hide_and_spam_threshold_come_from_the_settings(site, settings, outbox, db):
    await sign_in(Client(settings.site_url), outbox)
    async with another_site(settings, flags_to_hide=1, spam_threshold=90) as changed:
        ada, bob = Client(changed.site_url), Client(changed.site_url)
        await sign_in(ada, outbox)
        await sign_in(bob, outbox, "bob@example.com")
        await submit(ada)
        cid = await comment(bob, SPAM)   # 64 points: under this site's threshold
        assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == []
        await give_standing(db, await db.users.find_one({"email": "ada@example.com"}))
        assert (await report(ada, comment_id=cid)).code == 200   # one reporter with standing is enough here
        assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == ["reports"]
        ada.close()
        bob.close()
