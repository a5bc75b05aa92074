"""Discovery past the peers (issue 20): the hot score, per-language listings, listing counts.

- gists.commenter_ids: the people who wrote a shown comment, and gists.hot, the stored
  hot score (text/ranking.py), filled in for every gist; (hot, _id) sorts the "Hot" tab.
- (languages, submitted_at, _id) lists a language's gists newest first, as tags do.
- listing_counts: how many public gists each listing holds (storage/listing_counts.py),
  counted once here; from now on the writes keep them.
"""

from collections import Counter

from tornadogists.storage.listing_counts import listing_keys
from tornadogists.text.ranking import hot_score

async def up(db):
    counts = Counter()
    fields = {"loves": 1, "comment_count": 1, "submitted_at": 1, "tags": 1, "languages": 1, "hidden": 1,
              "submitter": 1, "gist_id": 1}
    async for gist in db.gists.find({}, fields):
        # By gist_id alone, which an index serves; the embedded engine scans for SHOWN's $in.
        comments = db.comments.find({"gist_id": gist["gist_id"]}, {"author.id": 1, "hidden": 1, "deleted": 1})
        gist["commenter_ids"] = list(dict.fromkeys([
            doc["author"]["id"] async for doc in comments
            if not doc.get("hidden") and not doc.get("deleted") and doc["author"]["id"] is not None]))
        await db.gists.update_one({"_id": gist["_id"]}, {"$set": {"commenter_ids": gist["commenter_ids"],
                                                                   "hot": hot_score(gist)}})
        counts.update(listing_keys(gist))
    await db.listing_counts.delete_many({})
    if counts:
        await db.listing_counts.insert_many([{"_id": key, "count": count} for key, count in counts.items()])
    await db.gists.create_index([("hot", -1), ("_id", -1)])
    await db.gists.create_index([("languages", 1), ("submitted_at", -1), ("_id", -1)])
