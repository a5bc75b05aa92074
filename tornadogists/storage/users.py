"""People who have signed in at least once."""

import datetime

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.errors import DuplicateKeyError


class Users:
    def __init__(self, collection):
        self.collection = collection

    async def get(self, user_id: str) -> dict | None:
        try:
            return await self.collection.find_one({"_id": ObjectId(user_id)})
        except (InvalidId, TypeError):
            return None

    async def by_email(self, email: str) -> dict | None:
        return await self.collection.find_one({"email": email})

    async def by_handle(self, handle: str) -> dict | None:
        return await self.collection.find_one({"handle": handle})

    async def create(self, fields: dict, handle_candidates) -> dict:
        """Insert a user with the first free handle; DuplicateKeyError means the e-mail exists."""
        for handle in handle_candidates:
            doc = {**fields, "handle": handle, "session_version": 0,
                   "created_at": datetime.datetime.now(datetime.UTC)}
            try:
                await self.collection.insert_one(doc)
                return doc
            except DuplicateKeyError as error:
                if "handle" not in str(error.details or error):
                    raise
        raise RuntimeError("no free handle")

    async def update(self, user_id, changes: dict) -> None:
        await self.collection.update_one({"_id": user_id}, {"$set": changes})
