"""Comments on gists: Markdown source beside its sanitised HTML, threads, line comments, edits."""

import datetime

from bson import ObjectId
from bson.errors import InvalidId

from tornadogists.storage.text_search import text_scores

# Older versions beyond this are dropped, so a comment edited all day stays far below 16 MB.
MAX_VERSIONS = 50
# A reconnecting page asks for what changed while it was away; past this, it reloads instead.
MAX_CHANGES = 500
VISIBLE = {"deleted": {"$ne": True}}


def object_id(value) -> ObjectId | None:
    """An ObjectId from a string (or an ObjectId); None for anything else."""
    if isinstance(value, ObjectId):
        return value
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None


class Comments:
    """Named queries over the `comments` collection. "Visible" means not deleted."""

    def __init__(self, collection):
        self.collection = collection

    async def insert(self, doc: dict) -> None:
        await self.collection.insert_one(doc)

    async def get(self, gist_id: str, comment_id) -> dict | None:
        """A comment of this gist, deleted or not; None for a malformed id."""
        oid = object_id(comment_id)
        if oid is None:
            return None
        return await self.collection.find_one({"_id": oid, "gist_id": gist_id})

    async def for_gist(self, gist_id: str) -> list[dict]:
        """Every comment of a gist (deleted ones too: they may hold a thread together), oldest first."""
        return await self.collection.find({"gist_id": gist_id}).sort([("created_at", 1), ("_id", 1)]).to_list()

    async def author_handles(self, ids: list) -> dict:
        """Comment _id -> its author's handle."""
        if not ids:
            return {}
        cursor = self.collection.find({"_id": {"$in": list(ids)}}, {"author.handle": 1})
        return {doc["_id"]: doc["author"]["handle"] for doc in await cursor.to_list()}

    async def visible_by_ids(self, ids: list) -> list[dict]:
        return await self.collection.find({"_id": {"$in": list(ids)}, **VISIBLE}).sort("_id", 1).to_list()

    async def changed_since(self, gist_ids: list[str], since: datetime.datetime) -> list[dict]:
        """Comments of these gists written, edited or deleted at or after `since`, in that order."""
        cursor = self.collection.find({"gist_id": {"$in": list(gist_ids)}, "updated_at": {"$gte": since}})
        return await cursor.sort([("updated_at", 1), ("_id", 1)]).limit(MAX_CHANGES).to_list()

    async def replace_body(self, comment: dict, body: str, html: str, now: datetime.datetime) -> bool:
        """Store a new version, keeping the current one in `versions`; False if it changed meanwhile."""
        previous = {"body": comment["body"], "html": comment["html"], "edited_at": comment["updated_at"]}
        result = await self.collection.update_one(
            {"_id": comment["_id"], "updated_at": comment["updated_at"], **VISIBLE},
            {"$set": {"body": body, "html": html, "edited": True, "updated_at": now},
             "$push": {"versions": {"$each": [previous], "$slice": -MAX_VERSIONS}}},
        )
        return result.modified_count == 1

    async def mark_deleted(self, comment_id: ObjectId, now: datetime.datetime) -> bool:
        """Blank a visible comment, keeping its place in the thread; True only for the call that did it."""
        result = await self.collection.update_one(
            {"_id": comment_id, **VISIBLE},
            {"$set": {"deleted": True, "body": "", "html": "", "versions": [], "updated_at": now}},
        )
        return result.modified_count == 1

    # Discovery (issue 5): newest comments for feeds, a person's comments, search, "most discussed".

    async def newest(self, gist_id: str | None, limit: int) -> list[dict]:
        """Visible comments, newest first: site-wide, or of one gist when `gist_id` is given."""
        query = {**VISIBLE, **({"gist_id": gist_id} if gist_id else {})}
        cursor = self.collection.find(query, {"versions": 0}).sort([("created_at", -1), ("_id", -1)])
        return await cursor.limit(limit).to_list()

    async def by_author(self, user_id, page: int, per_page: int) -> list[dict]:
        """A person's visible comments, newest first; one extra tells whether a next page exists."""
        cursor = (self.collection.find({"author.id": user_id, **VISIBLE}, {"versions": 0})
                  .sort([("created_at", -1), ("_id", -1)]).skip((page - 1) * per_page))
        return await cursor.limit(per_page + 1).to_list()

    async def search(self, query: str, limit: int) -> list[dict]:
        """Visible comments matching a $text query, best first, with their `score`."""
        scores = await text_scores(self.collection, query, VISIBLE, limit)
        cursor = self.collection.find({"_id": {"$in": list(scores)}}, {"gist_id": 1, "body": 1, "author": 1})
        found = [{**doc, "score": scores[doc["_id"]]} for doc in await cursor.to_list()]
        return sorted(found, key=lambda doc: -doc["score"])

    async def most_discussed(self, since: datetime.datetime, page: int, per_page: int) -> list[tuple[str, int]]:
        """(gist_id, visible comments written since `since`), most first; one extra for the pager."""
        cursor = await self.collection.aggregate([
            {"$match": {"created_at": {"$gte": since}, **VISIBLE}},
            {"$group": {"_id": "$gist_id", "comments": {"$sum": 1}, "last": {"$max": "$created_at"}}},
            {"$sort": {"comments": -1, "last": -1, "_id": 1}},
            {"$skip": (page - 1) * per_page},
            {"$limit": per_page + 1},
        ])
        return [(doc["_id"], doc["comments"]) for doc in await cursor.to_list()]
