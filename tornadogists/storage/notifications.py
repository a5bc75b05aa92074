"""Pending discussion e-mails, and when each person may next get one about each gist."""

import datetime

from pymongo.errors import DuplicateKeyError


class Notifications:
    """Items waiting to be mailed: one per (person, comment), grouped by `key` = person:gist."""

    def __init__(self, collection):
        self.collection = collection

    async def add(self, items: list[dict]) -> None:
        await self.collection.insert_many(items)

    async def due_keys(self, now: datetime.datetime, limit: int) -> list[str]:
        keys = await self.collection.distinct("key", {"due_at": {"$lte": now}})
        return keys[:limit]

    async def pending(self, key: str) -> list[dict]:
        return await self.collection.find({"key": key}).sort("_id", 1).to_list()

    async def postpone(self, key: str, due_at: datetime.datetime) -> None:
        # Only those not already postponed: each new comment's flush wrote every pending item again
        # (a write each, 120–150 ms for the benchmark's busiest discussion at 50,000 gists).
        await self.collection.update_many({"key": key, "due_at": {"$ne": due_at}}, {"$set": {"due_at": due_at}})

    async def remove(self, ids: list) -> None:
        await self.collection.delete_many({"_id": {"$in": list(ids)}})


class NotificationWindows:
    """One document per person:gist while a mail was sent less than a window ago."""

    def __init__(self, collection):
        self.collection = collection

    async def closed_until(self, key: str, now: datetime.datetime) -> datetime.datetime | None:
        """When the window open now ends; None when none is (a read: `claim` is the one that counts)."""
        held = await self.collection.find_one({"_id": key, "reopens_at": {"$gt": now}})
        return held["reopens_at"] if held else None

    async def claim(self, key: str, now: datetime.datetime, window: datetime.timedelta):
        """Open a new window now and return None, or return when the current one ends.

        As with submit guards, a live window makes the upsert collide on _id, so two
        processes flushing at once send one mail.
        """
        try:
            await self.collection.update_one(
                {"_id": key, "reopens_at": {"$lte": now}},
                {"$set": {"reopens_at": now + window}},
                upsert=True,
            )
        except DuplicateKeyError:
            held = await self.collection.find_one({"_id": key})
            return held["reopens_at"] if held else now
        return None
