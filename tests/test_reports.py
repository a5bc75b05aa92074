"""Reports: the control on every gist and comment, one report per person per item, limits and bad input."""

import datetime

from bson import ObjectId

from tests.client import Client
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, established, flag_path, give_standing, give_work, people, report, report_all
from tornadogists.services.trust import tally, weight


async def test_every_gist_and_comment_has_a_report_form_that_works_without_javascript(signed_in, person, settings):
    await submit(signed_in)
    bob = await person("bob@example.com")
    cid = await comment(signed_in, "A comment to report")
    page = (await bob.get(f"/gists/{HELLO}")).text
    for path in (flag_path(), flag_path(HELLO, cid)):
        start = page.index(f'<form method="post" action="{path}" class="report-form">')
        form = page[start:page.index("</form>", start)]
        assert 'name="_xsrf"' in form and 'name="note"' in form and 'maxlength="500"' in form
        for reason in ("spam", "abuse", "off-topic", "other"):
            assert f'name="reason" value="{reason}" required' in form
    # Nobody reports their own gist or comment; anonymous readers are sent to sign in.
    own = (await signed_in.get(f"/gists/{HELLO}")).text
    assert f'action="{flag_path()}"' not in own and f'action="{flag_path(HELLO, cid)}"' not in own
    anonymous = Client(settings.site_url)
    page = (await anonymous.get(f"/gists/{HELLO}")).text
    assert f'class="report-link" href="/login?next=%2Fgists%2F{HELLO}"' in page
    anonymous.close()


async def test_reporting_needs_sign_in_and_the_form_token(client, signed_in, settings, db):
    await submit(signed_in)
    anonymous = Client(settings.site_url)
    response = await report(anonymous)
    assert response.code == 303 and response.location == f"/login?next=%2Fgists%2F{HELLO}"
    response = await signed_in.post(flag_path(), {"reason": "spam"}, xsrf=False)
    assert response.code == 403
    assert await db.reports.count_documents({}) == 0
    anonymous.close()


async def test_a_second_report_by_the_same_person_replaces_the_first(signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    first = await report(bob, reason="spam", note="Looks like an advert")
    assert first.code == 200 and "reached the moderators" in first.text
    assert (await report(bob, reason="off-topic", note="Actually just off-topic")).code == 200
    [stored] = await db.reports.find().to_list()
    assert stored["reason"] == "off-topic" and stored["note"] == "Actually just off-topic"
    assert stored["item"] == f"gist:{HELLO}" and stored["reporter"]["handle"] == "bob" and stored["state"] == "open"


async def test_reports_of_comments_are_counted_per_comment(signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    first, second = await comment(signed_in, "First"), await comment(signed_in, "Second")
    for cid in (first, second):
        assert (await report(bob, comment_id=cid, reason="abuse")).code == 200
    assert sorted(doc["item"] for doc in await db.reports.find().to_list()) == sorted(
        [f"comment:{first}", f"comment:{second}"])


async def test_bad_reports_get_a_clear_message_and_a_4xx(signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    own = await comment(bob, "Mine")
    cases = [
        (report(bob, reason="boring"), 400, "Choose why you report it"),
        (report(bob, reason=""), 400, "Choose why you report it"),
        (report(bob, note="x" * 501), 400, "The note is too long: 501 characters, at most 500."),
        (report(bob, comment_id=own), 400, "This comment is yours"),
        (report(signed_in), 400, "This gist is yours"),
        (report(bob, gist_id="ffffffffffffffffffff"), 404, None),
        (report(bob, comment_id="0123456789abcdef01234567"), 404, None),
        (report(bob, gist_id="bb6b426e72bf0549c29e", comment_id=own), 404, None),   # a comment of another gist
    ]
    for call, status, message in cases:
        response = await call
        assert response.code == status, response.text
        if message:
            assert message in response.text
    # The form comes back with what was typed.
    response = await report(bob, reason="boring", note="kept <b>note</b>")
    assert "kept &lt;b&gt;note&lt;/b&gt;</textarea>" in response.text
    assert await db.reports.count_documents({}) == 0


async def test_reporters_are_rate_limited(signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    for _ in range(30):
        assert (await report(bob)).code == 200
    response = await report(bob)
    assert response.code == 429 and "many reports this hour" in response.text


def test_a_reports_weight_grows_with_the_accounts_age_and_published_work():
    day = datetime.timedelta(days=1)
    assert weight(0 * day, 0) == 0.1                                  # made today, nothing published
    assert weight(30 * day, 0) == weight(0 * day, 5) == 0.55          # old but idle, or busy but new
    assert weight(30 * day, 5) == weight(400 * day, 50) == 1.0        # established: in full
    assert tally([{"weight": 0.5, "new": True, "network": "10.0.0.1"},
                  {"weight": 0.5, "new": True, "network": "10.0.0.1"},
                  {"weight": 0.1, "new": True, "network": "10.0.0.2"},
                  {"weight": 1.0, "new": False, "network": "10.0.0.1"}]) == (1.1, {"10.0.0.1"})


async def test_three_new_accounts_from_one_network_do_not_hide_an_established_persons_work(
        signed_in, person, settings, db):
    await submit(signed_in)
    brigade = await people(person, 3)   # signed up seconds ago, all from 127.0.0.1
    bob = await person("bob@example.com")
    await give_standing(db, await db.users.find_one({"email": "bob@example.com"}))
    await give_standing(db, await db.users.find_one({"email": "ada@example.com"}))
    cid = await comment(bob, "An opinion some people dislike")
    await report_all(brigade, comment_id=cid)
    await report_all(brigade)   # ada's gist too
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == []
    assert (await db.gists.find_one({"gist_id": HELLO}))["hidden"] == []
    assert "An opinion some people dislike" in (await Client(settings.site_url).get(f"/gists/{HELLO}")).text
    # Both wait for an admin, marked as a burst whose reports count nothing.
    queue = (await (await person(ADMIN)).get("/admin/reports")).text
    cards = {card.split('"', 1)[0]: card for card in queue.split('<li class="card" id="item-')[1:]}
    for key in (cid, HELLO):
        card = cards[key]
        assert "3 reports, weighing 0" in card and "New accounts from one network (127.0.0.1)" in card, key
    stored = await db.reports.find_one({"item": f"comment:{cid}"})
    assert stored["weight"] == 0.1 and stored["new"] is True and stored["network"] == "127.0.0.1"


async def test_a_burst_counts_nothing_even_when_its_weights_would_add_up(signed_in, person, settings, db):
    await submit(signed_in)
    brigade = await people(person, 6)
    for user in await db.users.find({"email": {"$regex": "^reporter"}}).to_list():
        await give_work(db, user)   # five comments each, written seconds ago: 0.55 a report, 3.3 in all
    bob = await person("bob@example.com")
    cid = await comment(bob, "Still here")
    await report_all(brigade, comment_id=cid)
    assert {r["weight"] for r in await db.reports.find().to_list()} == {0.55}
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["hidden"] == []


async def test_work_that_was_reported_gives_no_standing(signed_in, person, settings, db):
    await submit(signed_in)
    [critic] = await established(db, settings, 1)
    user = await db.users.find_one({"handle": "regular0"})
    for note in await db.comments.find({"author.id": user["_id"]}).to_list():
        await db.reports.insert_one({"_id": f"comment:{note['_id']}:x", "item": f"comment:{note['_id']}",
                                     "state": "open"})
    await report(critic)
    stored = await db.reports.find_one({"item": f"gist:{HELLO}"})
    assert stored["weight"] == 0.64   # a year old (half its standing), and only its own gist unreported (a tenth)
