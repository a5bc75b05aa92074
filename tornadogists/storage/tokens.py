"""E-mailed tokens (sign-in links, e-mail changes, account deletions), stored only as SHA-256 hashes and used at most once."""

import datetime

SIGN_IN = "sign-in"
CHANGE_EMAIL = "change-email"
DELETE_ACCOUNT = "delete-account"


class SignInTokens:
    def __init__(self, collection):
        self.collection = collection

    async def add(self, token_hash: str, purpose: str, expires_at: datetime.datetime, **fields) -> None:
        """`fields` is what redeeming needs: the address, and `next` or `user_id`."""
        await self.collection.insert_one(
            {"_id": token_hash, "purpose": purpose, "expires_at": expires_at, **fields}
        )

    async def peek(self, token_hash: str, purpose: str) -> dict | None:
        """The token, left in place: opening a mailed link must not spend it (mail scanners open links)."""
        return await self.collection.find_one({"_id": token_hash, "purpose": purpose})

    async def take(self, token_hash: str, purpose: str) -> dict | None:
        """Remove and return the token: an atomic delete makes it single-use.

        A token only works for the purpose it was made for: a sign-in link cannot change an address.
        """
        return await self.collection.find_one_and_delete({"_id": token_hash, "purpose": purpose})
