"""Leases: one holder at a time for a piece of work, across processes, ending by themselves."""

import datetime
import uuid

from pymongo.errors import DuplicateKeyError


class Leases:
    """Kept in `rate_limits`, whose TTL index on `expires_at` removes the ones long over."""

    def __init__(self, collection):
        self.collection = collection

    async def take(self, key: str, now: datetime.datetime, seconds: float) -> str | None:
        """Hold `key` for `seconds`: a token to settle it with, or None while someone else holds it."""
        token, until = uuid.uuid4().hex, now + datetime.timedelta(seconds=seconds)
        try:
            # No lease, or one that ended: ours. A live one makes the upsert insert a duplicate _id.
            await self.collection.update_one(
                {"_id": f"lease:{key}", "until": {"$lte": now}},
                {"$set": {"until": until, "token": token, "expires_at": until}}, upsert=True)
        except DuplicateKeyError:
            return None
        return token

    async def settle(self, key: str, token: str, until: datetime.datetime) -> None:
        """Keep the lease until `until` (in the past: let it go now), if it is still ours."""
        await self.collection.update_one({"_id": f"lease:{key}", "token": token},
                                         {"$set": {"until": until, "expires_at": until}})
