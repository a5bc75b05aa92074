"""Queued mail: written before sending so nothing is lost when SMTP is slow or down."""

import datetime

from pymongo import ReturnDocument


class Outbox:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, message: dict, now: datetime.datetime) -> None:
        await self.collection.insert_one(
            {**message, "status": "queued", "attempts": 0, "due_at": now, "created_at": now}
        )

    async def claim(self, now: datetime.datetime, lease: datetime.timedelta) -> dict | None:
        """Take one due message; the lease lets another process retry it if this one dies."""
        return await self.collection.find_one_and_update(
            {"status": "queued", "due_at": {"$lte": now}},
            {"$set": {"due_at": now + lease}, "$inc": {"attempts": 1}},
            sort=[("due_at", 1)],
            return_document=ReturnDocument.AFTER,
        )

    async def sent(self, message_id, now: datetime.datetime) -> None:
        await self.collection.update_one(
            {"_id": message_id}, {"$set": {"status": "sent", "sent_at": now}}
        )

    async def retry_later(self, message_id, due_at: datetime.datetime, error: str, give_up: bool) -> None:
        status = "failed" if give_up else "queued"
        await self.collection.update_one(
            {"_id": message_id}, {"$set": {"status": status, "due_at": due_at, "last_error": error}}
        )
