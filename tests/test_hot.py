"""The Hot tab (issue 20): a stored score moved by each love and comment, decaying with age; its feed."""

import asyncio
import datetime
import re
import xml.etree.ElementTree as ElementTree

import pytest

from tests.crafted import client_for, gist_id, make_gist, make_user, now
from tests.discussion import comment
from tornadogists.storage.gists import updated
from tornadogists.text.ranking import hot_score

CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def at(hours_before: float, clock: datetime.datetime) -> datetime.datetime:
    return clock - datetime.timedelta(hours=hours_before)


def test_points_decay_tenfold_every_12_and_a_half_hours_of_age():
    clock = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)   # the injected "now"
    def gist(hours_old, loves=0, comments=0, commenters=()):
        return {"submitted_at": at(hours_old, clock), "loves": loves, "comment_count": comments,
                "commenter_ids": list(commenters)}
    # 50 loves (log10 of 101 points: 2.0) are worth 25 hours: 10 hours older, still ahead; 27, behind.
    assert hot_score(gist(11, loves=50)) > hot_score(gist(1))
    assert hot_score(gist(28, loves=50)) < hot_score(gist(1))
    # Three days old and much loved loses to an hour-old gist with one love.
    assert hot_score(gist(72, loves=10, comments=6, commenters=(1, 2, 3))) < hot_score(gist(1, loves=1))
    # A distinct commenter counts more than one more comment between the same two people.
    assert hot_score(gist(1, comments=4, commenters=(1, 2, 3))) > hot_score(gist(1, comments=5, commenters=(1, 2)))
    # A naive date (as the driver reads them back) scores as the same moment in UTC.
    naive = {**gist(2), "submitted_at": at(2, clock).replace(tzinfo=None)}
    assert hot_score(naive) == hot_score(gist(2))


async def test_hot_is_the_default_tab_and_loves_and_comments_move_a_gist_up(db, client, settings):
    ada, bob, cy = [await make_user(db, name) for name in ("ada", "bob", "cy")]
    clock = now()
    await make_gist(db, gist_id(1), ada, "old and loved", submitted_at=at(72, clock), loves=10)
    await make_gist(db, gist_id(2), ada, "new", submitted_at=at(1, clock))
    await make_gist(db, gist_id(3), ada, "newish", submitted_at=at(3, clock))
    page = await client.get("/")
    assert page.code == 200 and 'aria-current="page">Hot' in page.text
    assert CARD_TITLE.findall(page.text) == [gist_id(2), gist_id(3), gist_id(1)]
    # Two people love the 3-hours-old gist and one comments on it: it passes the newer one at once.
    for person in (bob, cy):
        assert (await (await client_for(settings, person)).post(f"/gists/{gist_id(3)}/love")).code == 303
    await comment(await client_for(settings, bob), "Nice one.", gist_id(3))
    stored = await db.gists.find_one({"gist_id": gist_id(3)})
    assert stored["commenter_ids"] == [bob["_id"]] and stored["hot"] == hot_score(stored)
    page = await client.get("/")
    assert CARD_TITLE.findall(page.text) == [gist_id(3), gist_id(2), gist_id(1)]
    assert CARD_TITLE.findall((await client.get("/?sort=latest")).text) == [gist_id(2), gist_id(3), gist_id(1)]


async def test_the_hot_feed_lists_gists_in_the_hot_order(db, client):
    ada = await make_user(db, "ada")
    clock = now()
    await make_gist(db, gist_id(1), ada, "older, loved", submitted_at=at(5, clock), loves=40)
    await make_gist(db, gist_id(2), ada, "newer", submitted_at=at(1, clock))
    feed = await client.get("/feeds/hot.atom")
    assert feed.code == 200 and feed.headers["Content-Type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(feed.body).findall("a:entry", ATOM)
    titles = [entry.findtext("a:title", namespaces=ATOM) for entry in entries]
    assert titles == ["older, loved", "newer"]
    assert "/feeds/hot.atom" in (await client.get("/")).text.split("</head>")[0]   # announced in the head


async def test_loves_arriving_together_leave_the_score_of_the_final_count(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "loved at once")
    people = [await client_for(settings, await make_user(db, f"p{n}")) for n in range(12)]
    answers = await asyncio.gather(*(person.post(f"/gists/{gist_id(1)}/love") for person in people))
    assert {answer.code for answer in answers} == {303}
    stored = await db.gists.find_one({"gist_id": gist_id(1)})
    assert stored["loves"] == 12 and stored["hot"] == hot_score(stored)


async def test_a_scored_write_reckons_its_scores_from_the_gist_as_the_database_leaves_it(db):
    # The scores go in the write itself (storage/gists.py): computed from the gist as read, with the
    # update applied here. The database applies the same update; both must agree, field by field.
    clock = now()
    start = {"loves": 3, "comment_count": 2, "commenter_ids": ["a"], "discussed_last_at": at(5, clock)}
    updates = [{"$inc": {"comment_count": 1, "discussed": 1}, "$max": {"discussed_last_at": at(1, clock)},
                "$min": {"discussed_until": at(-700, clock)}, "$addToSet": {"commenter_ids": "b"}},
               {"$inc": {"comment_count": 1}, "$max": {"discussed_last_at": at(9, clock)},
                "$addToSet": {"commenter_ids": "a"}},
               {"$inc": {"loves": -1}, "$set": {"github_comments": {"page": 2}}}]
    for n, update in enumerate(updates):
        await db.scored.insert_one({"_id": n, **start})
        await db.scored.update_one({"_id": n}, update)
        stored = await db.scored.find_one({"_id": n})
        assert updated({"_id": n, **start}, update) == stored
    with pytest.raises(ValueError):
        updated(start, {"$unset": {"loves": ""}})
