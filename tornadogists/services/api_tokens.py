"""Who may call the API: personal tokens (shown once, stored as SHA-256) and each client's request allowance."""

import secrets
import unicodedata

from tornadogists.services.auth import hash_token
from tornadogists.services.limits import Allowance, client_network, enforce, meter

PREFIX = "tgp_"   # says what a leaked string is, so secret scanners and people recognise it
MAX_NAME = 100
MAX_TOKENS = 20
CREATIONS_PER_HOUR = 20


class InvalidTokenName(ValueError):
    """str() is the message shown above the kept form."""


class TooManyTokens(ValueError):
    """A person has MAX_TOKENS already."""


def token_name(text: str) -> str:
    """One line of 1-100 printable characters."""
    name = " ".join("".join(c for c in text if unicodedata.category(c)[0] != "C").split())
    if not name:
        raise InvalidTokenName("Give the token a name, such as the tool or machine that will use it.")
    if len(name) > MAX_NAME:
        raise InvalidTokenName(f"A token's name has at most {MAX_NAME} characters.")
    return name


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None for any other header or none."""
    scheme, _, token = (header or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class ApiAccess:
    def __init__(self, storage, settings, clock):
        self.storage = storage
        self.settings = settings
        self.clock = clock

    async def create_token(self, user: dict, name_text: str) -> tuple[str, dict]:
        """(the token, shown this once; its stored record). Raises InvalidTokenName, TooManyTokens, RateLimited."""
        name = token_name(name_text)
        await enforce(self.storage.rate_limits, f"api-token:{user['_id']}", CREATIONS_PER_HOUR, 3600, self.clock(),
                      "You have made many tokens this hour; please wait a while.")
        if await self.storage.api_tokens.count(user["_id"]) >= MAX_TOKENS:
            raise TooManyTokens(f"You have {MAX_TOKENS} tokens, the most an account may have; revoke one first.")
        token = PREFIX + secrets.token_urlsafe(32)
        record = await self.storage.api_tokens.add(hash_token(token), user["_id"], name, token[-4:], self.clock())
        return token, record

    async def tokens(self, user: dict) -> list[dict]:
        """The person's tokens, newest first, without their hashes."""
        return await self.storage.api_tokens.of_user(user["_id"])

    async def revoke(self, user: dict, token_id: str) -> bool:
        """False when the person has no such token (revoked already, or someone else's)."""
        return await self.storage.api_tokens.remove(user["_id"], token_id)

    async def user_for_token(self, token: str) -> dict | None:
        """The token's owner, its last use noted; None for a revoked or unknown token, or a banned owner."""
        record = await self.storage.api_tokens.use(hash_token(token), self.clock())
        user = await self.storage.users.get(record["user_id"]) if record else None
        return None if user is None or user.get("banned") else user

    async def meter(self, client_ip: str) -> Allowance:
        """Count one API request from this client's network (see client_network)."""
        s = self.settings
        return await meter(self.storage.rate_limits, f"api:{client_network(client_ip)}", s.api_rate_limit,
                           s.api_rate_window_seconds, self.clock())
