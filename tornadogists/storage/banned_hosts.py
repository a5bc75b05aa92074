"""Hosts admins have banned: a link to one holds a new comment or intro for review."""

import datetime


class BannedHosts:
    def __init__(self, collection):
        self.collection = collection
        # Counts this process's changes: a cached set older than the last one is stale.
        self.writes = 0

    async def add(self, host: str, by: dict, reason: str, now: datetime.datetime) -> None:
        self.writes += 1
        await self.collection.update_one(
            {"_id": host}, {"$set": {"by": by["handle"], "reason": reason, "at": now}}, upsert=True)

    async def remove(self, host: str) -> bool:
        self.writes += 1
        return (await self.collection.delete_one({"_id": host})).deleted_count == 1

    async def hosts(self) -> frozenset[str]:
        return frozenset(doc["_id"] for doc in await self.collection.find({}, {"_id": 1}).to_list())

    async def all(self) -> list[dict]:
        return await self.collection.find().sort("_id", 1).to_list()
