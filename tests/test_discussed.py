""""Most discussed" as a stored count (storage/discussion.py): comments add to it, hiding and
deleting count again, time alone lowers it through the sweep, migration 0027 fills it in."""

import datetime

from tests.crafted import days_ago, gist_id, make_comment, make_gist, make_user
from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.test_listings import listed
from tornadogists.db.migrate import MIGRATIONS_DIR, _modules
from tornadogists.text.ranking import discussed_rank


async def test_a_comment_counts_at_once_and_its_deletion_takes_it_back(signed_in, client, db):
    await submit(signed_in)
    first, second = await comment(signed_in, "one"), await comment(signed_in, "two")
    page = await client.get("/?sort=discussed")
    assert listed(page) == [HELLO] and "2 comments this month" in page.text
    stored = await db.gists.find_one({"gist_id": HELLO})
    assert stored["discussed"] == 2 and stored["discussed_until"] > days_ago(-29)
    for cid in (first, second):
        assert (await signed_in.post(f"/gists/{HELLO}/comments/{cid}/delete")).code == 303
    page = await client.get("/?sort=discussed")
    assert listed(page) == [] and "Nothing was discussed in the last 30 days" in page.text
    stored = await db.gists.find_one({"gist_id": HELLO})
    assert "discussed" not in stored and stored["discussed_rank"] == 0


async def test_the_sweep_lowers_a_count_whose_oldest_comment_left_the_window(site, db, client):
    ada = await make_user(db, "ada")
    for n in range(3):
        await make_gist(db, gist_id(n), ada, f"gist {n}")
    for age in (29, 28.9, 2):   # gist 0: three this month, two of them about to leave it
        await make_comment(db, gist_id(0), ada, "early", created_at=days_ago(age))
    for age in (3, 1):
        await make_comment(db, gist_id(1), ada, "later", created_at=days_ago(age))
    assert listed(await client.get("/?sort=discussed")) == [gist_id(0), gist_id(1)]
    gists = site.services.storage.gists
    assert await site.services.discovery.sweep_discussed() == 0   # nothing has left the window yet
    assert await gists.recount_discussed(days_ago(-1.5), 1000) == 1   # a day and a half later
    page = await client.get("/?sort=discussed")
    assert listed(page) == [gist_id(1), gist_id(0)]
    assert "2 comments this month" in page.text and "1 comment this month" in page.text
    assert await gists.recount_discussed(days_ago(-1.5), 1000) == 0   # counted: due again only in 27 days
    assert await gists.recount_discussed(days_ago(-40), 1000) == 2
    assert listed(await client.get("/?sort=discussed")) == []


async def test_migration_0027_counts_the_month_of_gists_stored_before(db):
    await db.gists.insert_many([{"gist_id": gist_id(n), "version": 3} for n in range(3)])
    oldest, newest = days_ago(20), days_ago(5)
    await db.comments.insert_many(
        [{"gist_id": gist_id(0), "created_at": at, "deleted": False, "hidden": []} for at in (oldest, newest)]
        + [{"gist_id": gist_id(0), "created_at": days_ago(1), "deleted": True},      # deleted: not counted
           {"gist_id": gist_id(1), "created_at": days_ago(2), "hidden": ["reports"]},  # hidden: not counted
           {"gist_id": gist_id(2), "created_at": days_ago(45), "deleted": False}])     # too old
    [migration] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0027_discussed_counts"]
    await migration.up(db)
    first = await db.gists.find_one({"gist_id": gist_id(0)})
    assert first["discussed"] == 2
    assert first["discussed_last_at"] == newest and first["discussed_until"] == oldest + datetime.timedelta(days=30)
    assert first["discussed_rank"] == discussed_rank(first) > 2
    for n in (1, 2):
        other = await db.gists.find_one({"gist_id": gist_id(n)})
        assert "discussed" not in other and other["discussed_rank"] == 0
    assert {"discussed_until_1", "discussed_rank_1"} <= set(await db.gists.index_information())


def test_the_rank_orders_by_the_count_then_by_the_newest_comment():
    at = days_ago(3)
    rank = [discussed_rank({"discussed": count, "discussed_last_at": at - datetime.timedelta(seconds=ago)})
            for count, ago in ((2, 0), (1, 0), (2, 1), (99_999, 10**6), (0, 0))]
    assert rank[3] > rank[0] > rank[2] > rank[1] > rank[4] == 0
    assert discussed_rank({}) == 0
