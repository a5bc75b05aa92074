"""GitHub's allowance (its rate limit) as last seen by any process, so every process and the admin see the freshest."""

import datetime

from pymongo.errors import DuplicateKeyError

KEY = "github-allowance"


class GitHubAllowance:
    """One document in `rate_limits`; it expires an hour after GitHub's reset, when it says nothing any more."""

    def __init__(self, collection):
        self.collection = collection

    async def latest(self) -> dict | None:
        """{limit, remaining, reset, seen_at} (epoch seconds), or None when no process has seen one."""
        return await self.collection.find_one({"_id": KEY}, {"_id": 0, "expires_at": 0})

    async def save(self, limit: int, remaining: int, reset: float, seen_at: float) -> None:
        """Keep this word on the allowance unless a newer one is stored already."""
        expires = datetime.datetime.fromtimestamp(reset + 3600, datetime.UTC)
        try:
            await self.collection.update_one(
                {"_id": KEY, "seen_at": {"$lt": seen_at}},
                {"$set": {"limit": limit, "remaining": remaining, "reset": reset, "seen_at": seen_at,
                          "expires_at": expires}}, upsert=True)
        except DuplicateKeyError:   # a newer one is there
            pass
