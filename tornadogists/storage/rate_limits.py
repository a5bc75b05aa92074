"""Fixed-window counters shared by every process through the database."""

import datetime

from pymongo import ReturnDocument


class RateLimits:
    def __init__(self, collection):
        self.collection = collection

    async def hit(self, key: str, window_seconds: int, now: datetime.datetime) -> int:
        """Count one event for `key` in the current window; return the count so far."""
        return (await self.hit_window(key, window_seconds, now))[0]

    async def hit_window(self, key: str, window_seconds: int,
                         now: datetime.datetime) -> tuple[int, datetime.datetime]:
        """Count one event for `key`: (the count so far in the current window, when that window ends)."""
        start = int(now.timestamp()) // window_seconds * window_seconds
        window_end = datetime.datetime.fromtimestamp(start + window_seconds, datetime.UTC)
        doc = await self.collection.find_one_and_update(
            {"_id": f"{key}@{start}"},
            {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": window_end}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return doc["count"], window_end
