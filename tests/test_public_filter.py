"""What "public" means to every listing, feed and search: no reason to hide, however `hidden` is stored."""

import os

from tornadogists.storage.comments import PUBLIC as PUBLIC_COMMENTS
from tornadogists.storage.gists import PUBLIC as PUBLIC_GISTS

STORED = {"missing": {}, "null": {"hidden": None}, "empty": {"hidden": []},
          "held": {"hidden": ["held"]}, "removed and held": {"hidden": ["removed", "held"]}}


async def test_public_is_no_reason_to_hide_and_the_embedded_engine_filters_it_in_sql(db):
    await db.gists.insert_many([{"gist_id": name, **hidden} for name, hidden in STORED.items()])
    await db.comments.insert_many([{"gist_id": name, "deleted": False, **hidden} for name, hidden in STORED.items()]
                                  + [{"gist_id": "deleted", "deleted": True}])
    assert sorted([doc["gist_id"] async for doc in db.gists.find(PUBLIC_GISTS)]) == ["empty", "missing", "null"]
    assert sorted([doc["gist_id"] async for doc in db.comments.find(PUBLIC_COMMENTS)]) == ["empty", "missing", "null"]
    if not os.environ.get("TORNADOGISTS_TEST_MONGODB_URI"):
        # mongoeco's plan: "python" would mean reading every document of the collection in Python.
        plan = await db.gists.find(PUBLIC_GISTS).sort([("hot", -1), ("_id", -1)]).limit(30).explain()
        assert plan["strategy"] == "sql"
