"""Comments on gists: Markdown source beside its sanitised HTML, threads, line comments, edits."""

import datetime

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import ReturnDocument

from tornadogists.storage.counts import count
from tornadogists.storage.gists import PUBLIC as GISTS_PUBLIC
from tornadogists.storage.gists import is_public as gist_is_public
from tornadogists.storage.lookups import each

# Older versions beyond this are dropped, so a comment edited all day stays far below 16 MB.
MAX_VERSIONS = 50
# A reconnecting page asks for what changed while it was away; past this, it reloads instead.
MAX_CHANGES = 500
VISIBLE = {"deleted": {"$ne": True}}
# Feeds, search, listings and e-mails show only these (services/visibility.py: why hidden).
PUBLIC = {**VISIBLE, "hidden": GISTS_PUBLIC["hidden"]}   # no reason to hide (storage/gists.py)


def is_public(doc: dict) -> bool:
    """PUBLIC, for a comment already read."""
    return not doc.get("deleted") and gist_is_public(doc)


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

    async def insert_many(self, docs: list[dict], session=None) -> None:
        """For bench/scale.py's seeding: the gists' comment counts are the caller's to set."""
        await self.collection.insert_many(docs, session=session)

    async def get(self, gist_id: str, comment_id) -> dict | None:
        """A comment of this gist, deleted or not; None for a malformed id."""
        oid = object_id(comment_id)
        if oid is None:
            return None
        return await self.collection.find_one({"_id": oid, "gist_id": gist_id})

    async def for_gist(self, gist_id: str) -> list[dict]:
        """Every comment of a gist (deleted ones too: they may hold a thread together), oldest first.

        Sorted here: with a sort, the embedded engine reads every comment of the site instead of the
        gist's own from the index (2,500 of 53,000: 627 ms sorted by it, 403 ms unsorted)."""
        docs = await self.collection.find({"gist_id": gist_id}).to_list()
        return sorted(docs, key=lambda doc: (doc["created_at"], doc["_id"]))

    async def author_handles(self, ids: list) -> dict:
        """Comment _id -> its author's handle."""
        if not ids:
            return {}
        docs = await each(self.collection, "_id", ids, {"author.handle": 1})
        return {doc["_id"]: doc["author"]["handle"] for doc in docs}

    async def public_by_ids(self, ids: list) -> list[dict]:
        """Public comments by _id (ObjectIds or their strings), oldest first."""
        ids = sorted({oid for oid in map(object_id, ids) if oid is not None})
        return [doc for doc in await each(self.collection, "_id", ids) if is_public(doc)]

    async def changed_since(self, gist_ids: list[str], since: datetime.datetime,
                            limit: int = MAX_CHANGES) -> list[dict]:
        """Comments of these gists written, edited or deleted at or after `since`, in that order.

        Without their Markdown source and earlier versions: a live page shows the HTML only,
        and 50 versions of a long comment would weigh megabytes.
        """
        changed = [{"updated_at": {"$gte": since}}, {"reacted_at": {"$gte": since}}]   # reactions: 0019
        cursor = self.collection.find({"gist_id": {"$in": list(gist_ids)}, "$or": changed},
                                      {"body": 0, "versions": 0})
        return await cursor.sort([("updated_at", 1), ("_id", 1)]).limit(limit).to_list()

    async def replace_body(self, comment: dict, body: str, html: str, now: datetime.datetime,
                           fields: dict | None = None) -> bool:
        """Store a new version, keeping the current one in `versions`; False if it changed meanwhile.
        `fields` are set with it (why the spam score holds it)."""
        previous = {"body": comment["body"], "html": comment["html"], "edited_at": comment["updated_at"]}
        result = await self.collection.update_one(
            {"_id": comment["_id"], "updated_at": comment["updated_at"], **VISIBLE},
            {"$set": {"body": body, "html": html, "edited": True, "updated_at": now, **(fields or {})},
             "$push": {"versions": {"$each": [previous], "$slice": -MAX_VERSIONS}}},
        )
        return result.modified_count == 1

    async def mark_deleted(self, comment_id: ObjectId, now: datetime.datetime) -> dict | None:
        """Blank a visible comment, keeping its place in the thread: the comment as it was,
        for the call that did it only (None for the others)."""
        return await self.collection.find_one_and_update(
            {"_id": comment_id, **VISIBLE},
            {"$set": {"deleted": True, "body": "", "html": "", "versions": [], "updated_at": now}},
            projection={"body": 0, "html": 0, "versions": 0},
        )

    # Reactions (issue 19): one {kind, by} per kind per person, guarded in the one update that adds it.
    # `reacted_at` moves, not `updated_at`: a reaction is no edit (history, conflicts, feeds).

    async def add_reaction(self, comment_id, kind: str, by: dict, now: datetime.datetime) -> dict | None:
        """The comment with the reaction, for the call that added it; None when it was there already
        (or the comment is deleted or hidden meanwhile)."""
        mine = {"kind": kind, "by.id": by["id"]}
        return await self.collection.find_one_and_update(
            {"_id": comment_id, **PUBLIC, "reactions": {"$not": {"$elemMatch": mine}}},
            {"$push": {"reactions": {"kind": kind, "by": by}}, "$set": {"reacted_at": now}},
            projection={"versions": 0}, return_document=ReturnDocument.AFTER)

    async def remove_reaction(self, comment_id, kind: str, user_id, now: datetime.datetime) -> dict | None:
        """The comment without the reaction, for the call that removed it; None when it was not there."""
        mine = {"kind": kind, "by.id": user_id}
        return await self.collection.find_one_and_update(
            {"_id": comment_id, **VISIBLE, "reactions": {"$elemMatch": mine}},
            {"$pull": {"reactions": mine}, "$set": {"reacted_at": now}},
            projection={"versions": 0}, return_document=ReturnDocument.AFTER)

    # Moderation (issue 10): one reason at a time in `hidden`; updated_at moves so live pages hear of it.

    async def by_id(self, comment_id) -> dict | None:
        """A comment of any gist; None for a malformed id."""
        oid = object_id(comment_id)
        return None if oid is None else await self.collection.find_one({"_id": oid}, {"versions": 0})

    async def set_hidden(self, comment_id, reason: str, hidden: bool, now: datetime.datetime) -> dict | None:
        """Add or take away one reason a visible comment is hidden: (the comment before) for the
        call that changed it; None when it already was so, or is deleted."""
        query = {"_id": comment_id, **VISIBLE, "hidden": {"$ne": reason} if hidden else reason}
        update = {"$addToSet" if hidden else "$pull": {"hidden": reason}, "$set": {"updated_at": now}}
        return await self.collection.find_one_and_update(query, update, projection={"versions": 0},
                                                         return_document=ReturnDocument.BEFORE)

    async def ids_by_author(self, user_id, hidden_for: str | None = None) -> list[ObjectId]:
        """A person's visible comments; with `hidden_for`, only those hidden for that reason."""
        query = {"author.id": user_id, **VISIBLE, **({"hidden": hidden_for} if hidden_for else {})}
        return [doc["_id"] for doc in await self.collection.find(query, {"_id": 1}).to_list()]

    async def public_ids_by_author(self, user_id, limit: int) -> list[ObjectId]:
        cursor = self.collection.find({"author.id": user_id, **PUBLIC}, {"_id": 1}).limit(limit)
        return [doc["_id"] for doc in await cursor.to_list()]

    async def hidden_for(self, reason: str, limit: int) -> list[dict]:
        """Visible comments hidden for `reason`, oldest first (the held-for-review queue)."""
        cursor = self.collection.find({"hidden": reason, **VISIBLE}, {"versions": 0}).sort([("created_at", 1)])
        return await cursor.limit(limit).to_list()

    async def posted_since(self, user_id, since: datetime.datetime, body: str | None = None) -> int:
        """How many comments the person posted since then (only those of this very text, given `body`)."""
        query = {"author.id": user_id, "created_at": {"$gte": since}}
        return await count(self.collection, query if body is None else {**query, "body": body})

    async def remove_all(self, gist_id: str) -> None:
        """A removed gist's whole discussion."""
        await self.collection.delete_many({"gist_id": gist_id})

    # Discovery (issue 5): newest comments for feeds, a person's comments, search.

    async def newest(self, gist_id: str | None, limit: int) -> list[dict]:
        """Visible comments, newest first: site-wide, or of one gist when `gist_id` is given."""
        query = {**PUBLIC, **({"gist_id": gist_id} if gist_id else {})}
        cursor = self.collection.find(query, {"versions": 0}).sort([("created_at", -1), ("_id", -1)])
        return await cursor.limit(limit).to_list()

    async def by_author(self, user_id, page: int, per_page: int) -> list[dict]:
        """A person's visible comments, newest first; one extra tells whether a next page exists."""
        cursor = (self.collection.find({"author.id": user_id, **PUBLIC}, {"versions": 0})
                  .sort([("created_at", -1), ("_id", -1)]).skip((page - 1) * per_page))
        return await cursor.limit(per_page + 1).to_list()
