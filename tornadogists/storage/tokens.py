"""Sign-in tokens, stored only as SHA-256 hashes and used at most once."""

import datetime


class SignInTokens:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, token_hash: str, email: str, next_url: str, expires_at: datetime.datetime) -> None:
        await self.collection.insert_one(
            {"_id": token_hash, "email": email, "next": next_url, "expires_at": expires_at}
        )

    async def take(self, token_hash: str) -> dict | None:
        """Remove and return the token: an atomic delete makes it single-use."""
        return await self.collection.find_one_and_delete({"_id": token_hash})
