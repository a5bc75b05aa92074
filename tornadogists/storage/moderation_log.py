"""The moderation log: who did what to which item, when and why. Append-only: nothing here updates or deletes."""

import datetime


class ModerationLog:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, action: str, target: dict, by: dict | None, reason: str, now: datetime.datetime) -> None:
        """`by` is the admin, or None for the site itself (reports reaching the threshold, the spam score)."""
        await self.collection.insert_one({
            "at": now, "action": action, "target": target, "reason": reason,
            "by": {"id": by["_id"], "handle": by["handle"]} if by else None,
        })

    async def page(self, page: int, per_page: int) -> list[dict]:
        """Newest first; one extra entry tells whether a next page exists."""
        cursor = self.collection.find().sort([("at", -1), ("_id", -1)]).skip((page - 1) * per_page)
        return await cursor.limit(per_page + 1).to_list()

    async def about(self, target_id: str, limit: int = 50) -> list[dict]:
        """The entries about one gist, comment or person, newest first."""
        cursor = self.collection.find({"target.id": target_id}).sort([("at", -1), ("_id", -1)])
        return await cursor.limit(limit).to_list()
