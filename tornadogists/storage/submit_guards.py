"""Double-submit guards: the first of two identical posts within a few seconds wins, in any process."""

import datetime

from pymongo.errors import DuplicateKeyError


class SubmitGuards:
    def __init__(self, collection):
        self.collection = collection

    async def claim(self, key: str, value, now: datetime.datetime, window: datetime.timedelta):
        """Hold `key` for `window` on behalf of `value`; return the holder's value if another holds it.

        The filter matches only an expired guard, so while one is live the upsert tries to insert
        a second document with the same _id and the unique index refuses it — race-free.
        """
        try:
            await self.collection.update_one(
                {"_id": key, "expires_at": {"$lte": now}},
                {"$set": {"value": value, "expires_at": now + window}},
                upsert=True,
            )
        except DuplicateKeyError:
            held = await self.collection.find_one({"_id": key})
            return held["value"] if held else None
        return None

    async def release(self, key: str, value) -> None:
        """Give the key back when the post it guarded did not happen."""
        await self.collection.delete_one({"_id": key, "value": value})
