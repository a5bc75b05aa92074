"""Loves: one record per (gist, person); the unique index makes a second one impossible."""

from pymongo.errors import DuplicateKeyError


class Loves:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, gist_id: str, user_id, now) -> bool:
        """True when this call created the love, False when it already existed."""
        try:
            await self.collection.insert_one({"gist_id": gist_id, "user_id": user_id, "created_at": now})
        except DuplicateKeyError:
            return False
        return True

    async def remove(self, gist_id: str, user_id) -> bool:
        """True when this call removed the love."""
        result = await self.collection.delete_one({"gist_id": gist_id, "user_id": user_id})
        return result.deleted_count == 1

    async def exists(self, gist_id: str, user_id) -> bool:
        return await self.collection.find_one({"gist_id": gist_id, "user_id": user_id}, {"_id": 1}) is not None

    async def lovers(self, gist_id: str) -> frozenset:
        """The ids of everyone who loves a gist: a cached page answers "do I love it?" without a query."""
        return frozenset(await self.collection.distinct("user_id", {"gist_id": gist_id}))

    async def all_gist_ids_by(self, user_id) -> list[str]:
        """Every gist a person loved (search's is:loved)."""
        return await self.collection.distinct("gist_id", {"user_id": user_id})

    async def gist_ids_by(self, user_id, page: int, per_page: int) -> list[str]:
        """What a person loved, most recent first; one extra tells whether a next page exists."""
        cursor = (
            self.collection.find({"user_id": user_id}, {"gist_id": 1})
            .sort([("created_at", -1), ("_id", -1)])
            .skip((page - 1) * per_page)
            .limit(per_page + 1)
        )
        return [doc["gist_id"] for doc in await cursor.to_list()]
