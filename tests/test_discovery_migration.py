"""Migration 0020 (issue 20): hot scores, commenters and listing counts for gists stored before them."""

import datetime

from bson import ObjectId

from tornadogists.db.migrate import MIGRATIONS_DIR, _modules
from tornadogists.text.ranking import hot_score

WHEN = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)


async def test_old_gists_get_their_hot_score_commenters_and_counts(db):
    ada, bob = ObjectId(), ObjectId()
    await db.gists.insert_many([
        {"gist_id": "a" * 20, "submitter": {"id": ada}, "tags": ["py"], "languages": ["Python"], "loves": 2,
         "comment_count": 3, "submitted_at": WHEN},
        {"gist_id": "b" * 20, "submitter": {"id": ada}, "tags": ["py", "web"], "languages": ["Python", "HTML"],
         "loves": 0, "submitted_at": WHEN, "hidden": []},
        {"gist_id": "c" * 20, "submitter": {"id": bob}, "tags": ["py"], "languages": ["Go"], "loves": 9,
         "submitted_at": WHEN, "hidden": ["reports"]},   # hidden: counted nowhere
    ])
    await db.comments.insert_many([
        {"gist_id": "a" * 20, "author": {"id": author}, "deleted": False, "hidden": []} for author in (bob, bob, ada)
    ] + [{"gist_id": "a" * 20, "author": {"id": ObjectId()}, "deleted": True}])   # a deleted one: not counted
    await db.listing_counts.insert_one({"_id": "all", "count": 99})   # a wrong count is recounted
    [migration] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0020_hot_languages_counts"]
    await migration.up(db)
    first = await db.gists.find_one({"gist_id": "a" * 20})
    assert sorted(first["commenter_ids"]) == sorted([ada, bob]) and first["hot"] == hot_score(first)
    counts = {doc["_id"]: doc["count"] async for doc in db.listing_counts.find()}
    assert counts == {"all": 2, "tag:py": 2, "tag:web": 1, "language:Python": 2, "language:HTML": 1,
                      f"submitter:{ada}": 2}
    assert "hot_-1__id_-1" in await db.gists.index_information()
