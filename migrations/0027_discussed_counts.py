"""The "most discussed" tab as an indexed sort (storage/discussion.py).

Each gist with shown comments in the last 30 days gets their count, the newest one's time and
when the oldest leaves the window, grouped here once (the last time the engine groups the
month's comments in Python); every other gist a rank of 0. From now on the comment writes and
the sweep keep them. The tab sorts on (discussed_rank, _id), the way "Hot" sorts.
"""

import datetime

from tornadogists.storage.comments import PUBLIC
from tornadogists.storage.discussion import WINDOW, discussed_update


async def up(db):
    since = datetime.datetime.now(datetime.UTC) - WINDOW
    await db.gists.update_many({"discussed_rank": {"$exists": False}}, {"$set": {"discussed_rank": 0}})
    cursor = await db.comments.aggregate([
        {"$match": {"created_at": {"$gte": since}, **PUBLIC}},
        {"$group": {"_id": "$gist_id", "count": {"$sum": 1}, "oldest": {"$min": "$created_at"},
                    "newest": {"$max": "$created_at"}}},
    ])
    async for row in cursor:
        await db.gists.update_one({"gist_id": row["_id"]}, discussed_update(row["count"], row["oldest"], row["newest"]))
    await db.gists.create_index("discussed_rank")
    await db.gists.create_index("discussed_until")
