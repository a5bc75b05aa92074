"""Loves: one record per (gist, person), keyed by both, so a second one is a duplicate `_id`.

The key, not a unique (gist_id, user_id) index, keeps it single: the embedded engine checks a
compound unique index by reading the whole collection on every insert (migration 0016).
"""

from pymongo.errors import DuplicateKeyError


def _key(gist_id: str, user_id) -> str:
    return f"{gist_id}:{user_id}"


def _love(gist_id: str, user_id, when) -> dict:
    return {"_id": _key(gist_id, user_id), "gist_id": gist_id, "user_id": user_id, "created_at": when}


class Loves:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, gist_id: str, user_id, now) -> bool:
        """True when this call created the love, False when it already existed."""
        try:
            await self.collection.insert_one(_love(gist_id, user_id, now))
        except DuplicateKeyError:
            return False
        return True

    async def add_many(self, loves: list[tuple], session=None) -> None:
        """(gist_id, user_id, when) loves at once, none there before (bench/scale.py's seeding)."""
        await self.collection.insert_many([_love(*love) for love in loves], session=session)

    async def remove(self, gist_id: str, user_id) -> bool:
        """True when this call removed the love."""
        result = await self.collection.delete_one({"_id": _key(gist_id, user_id)})
        return result.deleted_count == 1

    async def exists(self, gist_id: str, user_id) -> bool:
        return await self.collection.find_one({"_id": _key(gist_id, user_id)}, {"_id": 1}) is not None

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
