"""People who have signed in at least once."""

import datetime
import re

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from tornadogists.storage.lookups import starting_with


def duplicate_field(error: DuplicateKeyError) -> str:
    """Which unique field a DuplicateKeyError is about: "handle", "email" or "github.id"."""
    return next(iter((error.details or {}).get("keyPattern") or {}), "")


class Users:
    def __init__(self, collection):
        self.collection = collection
        # Counts this process's writes: a cached session lookup older than the last write is stale.
        self.writes = 0

    async def get(self, user_id) -> dict | None:
        try:
            return await self.collection.find_one({"_id": ObjectId(user_id)})
        except (InvalidId, TypeError):
            return None

    async def by_email(self, email: str) -> dict | None:
        return await self.collection.find_one({"email": email})

    async def by_handle(self, handle: str) -> dict | None:
        return await self.collection.find_one({"handle": handle})

    async def by_github_id(self, github_id: int) -> dict | None:
        return await self.collection.find_one({"github.id": github_id})

    async def named(self, names: list[str]) -> list[dict]:
        """The people whose handle, or GitHub login in any case, is one of `names` (lower case)."""
        if not names:
            return []
        logins = [re.compile(f"^{re.escape(name)}$", re.IGNORECASE) for name in names]
        return await self.collection.find(
            {"$or": [{"handle": {"$in": names}}, {"github.login": {"$in": logins}}]},
            {"handle": 1, "github.login": 1}).to_list()

    async def create(self, fields: dict, handle_candidates) -> dict:
        """Insert a user with the first free handle; DuplicateKeyError: the e-mail or GitHub id exists."""
        for handle in handle_candidates:
            doc = {**fields, "handle": handle, "created_at": datetime.datetime.now(datetime.UTC)}
            try:
                await self.collection.insert_one(doc)
                return doc
            except DuplicateKeyError as error:
                if duplicate_field(error) != "handle":
                    raise
        raise RuntimeError("no free handle")

    async def insert_many(self, docs: list[dict], session=None) -> None:
        """People already given free handles (bench/scale.py's seeding)."""
        await self.collection.insert_many(docs, session=session)

    async def update(self, user_id, changes: dict, remove: tuple[str, ...] = ()) -> dict | None:
        """Set `changes`, drop the `remove` fields: the user as now stored (DuplicateKeyError: taken)."""
        update = {}
        if changes:
            update["$set"] = changes
        if remove:
            update["$unset"] = dict.fromkeys(remove, "")
        self.writes += 1
        return await self.collection.find_one_and_update(
            {"_id": user_id}, update, return_document=ReturnDocument.AFTER
        )

    async def remove(self, user_id) -> None:
        """A deleted account (services/your_data.py); its sessions are gone already."""
        self.writes += 1
        await self.collection.delete_one({"_id": user_id})

    async def search(self, text: str, limit: int) -> list[dict]:
        """People whose handle or e-mail starts with `text` (any case), newest first; the newest when empty."""
        query = {}
        if text:
            prefix = starting_with(text.lower())
            query = {"$or": [{"handle": prefix}, {"email": prefix}]}
        return await self.collection.find(query).sort([("created_at", -1), ("_id", -1)]).limit(limit).to_list()
