"""Counts for the admin dashboard: how much there is, what waits for review, and activity per day."""

import asyncio
import datetime


class Stats:
    def __init__(self, db):
        self.db = db

    async def counts(self, held: str, removed: str) -> dict[str, int]:
        """`held` and `removed`: the `hidden` reasons of items awaiting review and of removed gists."""
        db = self.db
        names = ("gists", "comments", "people", "held", "mail_queued", "mail_failed")
        values = await asyncio.gather(
            self._all_but(db.gists, {"hidden": removed}),
            self._all_but(db.comments, {"deleted": True}),
            db.users.estimated_document_count(),
            self._held(held),
            db.mail_outbox.count_documents({"status": "queued"}),
            db.mail_outbox.count_documents({"status": "failed"}),
        )
        return dict(zip(names, values))

    @staticmethod
    async def _all_but(collection, few: dict) -> int:
        """How many documents are not `few`: the collection's size from its metadata, less a count of
        the few. Counting the many would read them all (the embedded engine refuses past 50,000)."""
        total, left_out = await asyncio.gather(collection.estimated_document_count(),
                                               collection.count_documents(few))
        return total - left_out

    async def _held(self, reason: str) -> int:
        comments = {"hidden": reason, "deleted": {"$ne": True}}
        return await self.db.gists.count_documents({"hidden": reason}) + await self.db.comments.count_documents(comments)

    async def per_day(self, since: datetime.datetime) -> dict[str, dict[str, int]]:
        """{"comments": {"YYYY-MM-DD": n}, "signups": {...}} from `since` (UTC days)."""
        comments, signups = await asyncio.gather(self._per_day(self.db.comments, since),
                                                 self._per_day(self.db.users, since))
        return {"comments": comments, "signups": signups}

    @staticmethod
    async def _per_day(collection, since: datetime.datetime) -> dict[str, int]:
        cursor = await collection.aggregate([
            {"$match": {"created_at": {"$gte": since}}},
            {"$group": {"_id": {"$dateToString": {"format": "%Y-%m-%d", "date": "$created_at"}},
                        "count": {"$sum": 1}}},
        ])
        return {doc["_id"]: doc["count"] for doc in await cursor.to_list()}
