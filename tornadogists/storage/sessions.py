"""Signed-in browsers: one record per session, found by the SHA-256 of its random id."""

import datetime


def _session(session_hash: str, user_id, now: datetime.datetime, expires_at: datetime.datetime) -> dict:
    return {"_id": session_hash, "user_id": user_id, "created_at": now, "seen_at": now, "expires_at": expires_at}


class Sessions:
    def __init__(self, collection):
        self.collection = collection
        # Counts this process's sign-outs: a cached session lookup older than the last one is stale.
        self.writes = 0

    async def add(self, session_hash: str, user_id, now: datetime.datetime, expires_at: datetime.datetime) -> None:
        await self.collection.insert_one(_session(session_hash, user_id, now, expires_at))

    async def add_many(self, sessions: list[tuple], session=None) -> None:
        """(session_hash, user_id, now, expires_at) sessions at once (bench/scale.py's seeding)."""
        await self.collection.insert_many([_session(*item) for item in sessions], session=session)

    async def get(self, session_hash: str) -> dict | None:
        return await self.collection.find_one({"_id": session_hash})

    async def seen(self, session_hash: str, now: datetime.datetime) -> None:
        await self.collection.update_one({"_id": session_hash}, {"$set": {"seen_at": now}})

    async def remove(self, session_hash: str) -> None:
        self.writes += 1
        await self.collection.delete_one({"_id": session_hash})

    async def remove_all(self, user_id) -> None:
        """Every session of a person (indexed on user_id)."""
        self.writes += 1
        await self.collection.delete_many({"user_id": user_id})

