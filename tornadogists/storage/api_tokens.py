"""Personal API tokens: found by the SHA-256 of the token, listed and revoked by their owner."""

import datetime

from pymongo import ReturnDocument

from tornadogists.storage.comments import object_id
from tornadogists.storage.counts import count

# What the account page lists: never the hash.
LISTED = {"name": 1, "hint": 1, "created_at": 1, "last_used_at": 1}


class ApiTokens:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, token_hash: str, user_id, name: str, hint: str, now: datetime.datetime) -> dict:
        doc = {"hash": token_hash, "user_id": user_id, "name": name, "hint": hint,
               "created_at": now, "last_used_at": None}
        await self.collection.insert_one(doc)
        return doc

    async def use(self, token_hash: str, now: datetime.datetime) -> dict | None:
        """The token with this hash, its last use set to `now`; None when there is none (or it was revoked)."""
        return await self.collection.find_one_and_update(
            {"hash": token_hash}, {"$set": {"last_used_at": now}}, return_document=ReturnDocument.AFTER)

    async def of_user(self, user_id) -> list[dict]:
        """A person's tokens, newest first."""
        cursor = self.collection.find({"user_id": user_id}, LISTED).sort([("created_at", -1), ("_id", -1)])
        return await cursor.to_list()

    async def count(self, user_id) -> int:
        return await count(self.collection, {"user_id": user_id})

    async def remove(self, user_id, token_id: str) -> bool:
        """Revoke one of the person's tokens; False for an id that is not theirs."""
        oid = object_id(token_id)
        if oid is None:
            return False
        result = await self.collection.delete_one({"_id": oid, "user_id": user_id})
        return result.deleted_count == 1
