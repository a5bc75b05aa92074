"""Passwordless e-mail sign-in (the Persona idea) and sessions."""

import asyncio
import datetime
import hashlib
import secrets
import string
from urllib.parse import quote, urlsplit

from tornadogists.services.cache import TTLCache
from tornadogists.services.limits import client_network, enforce
from tornadogists.storage.tokens import SIGN_IN
from tornadogists.text.emails import normalise_email

TOKEN_LIFETIME = datetime.timedelta(minutes=15)
SESSION_DAYS = 30
# How stale a session's `seen_at` may get: one write per session per hour, not per request.
SEEN_EVERY = datetime.timedelta(hours=1)
# Beyond this a `next` is not a page of ours (and would overflow the GitHub state cookie).
MAX_NEXT = 2000
HOUR = 3600
# Per (address, requester): a stranger spends only their own allowance for someone's address.
# Per address: a cap on mail to one inbox, far above what its owner needs.
PER_ADDRESS_AND_IP, PER_ADDRESS, PER_IP = 5, 20, 20
# Each return from GitHub costs up to three calls to GitHub, even with a made-up code.
GITHUB_SIGN_INS_PER_IP = 30


INVALID_LINK = "This sign-in link is invalid, used or expired. Ask for a new one."


class InvalidToken(ValueError):
    """Used, expired or never issued."""


class Suspended(Exception):
    """A banned person tried to sign in; str() is the message shown."""

    def __init__(self):
        super().__init__("This account is suspended by the moderators, so it cannot sign in.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(tokens, purpose: str, lifetime: datetime.timedelta, now, **fields) -> str:
    """A random token for a mailed link; only its hash is stored, with `fields`."""
    token = secrets.token_urlsafe(32)
    await tokens.add(hash_token(token), purpose, now + lifetime, **fields)
    return token


async def redeem_token(tokens, token: str, purpose: str, now) -> dict | None:
    """Use a mailed token once; None when used, expired, never issued or made for another purpose."""
    record = await tokens.take(hash_token(token), purpose)
    return record if record is not None and record["expires_at"] > now else None


def local_path(next_url: str | None) -> str:
    """Only ever redirect to a path on this site; anything else is "/". Non-ASCII is %-encoded.

    isprintable() is False for every control character (C0, DEL, C1) and for other
    invisible ones (format, line and paragraph separators): none belongs in a Location.
    """
    if not next_url or len(next_url) > MAX_NEXT or not next_url.isprintable():
        return "/"
    if not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        return "/"
    parts = urlsplit(next_url)
    return "/" if parts.scheme or parts.netloc else quote(next_url, safe=string.punctuation)


def session_value(user_id, session_id: str) -> str:
    """What the signed session cookie holds: the user (looked up alongside) and the session."""
    return f"{user_id}:{session_id}"


# How long a session -> user lookup is remembered: a sign-out elsewhere takes at most this long.
SESSION_CACHE_SECONDS = 1


class AuthService:
    def __init__(self, storage, mailer, settings, clock, accounts):
        self.storage = storage
        self.mailer = mailer
        self.settings = settings
        self.clock = clock
        self.accounts = accounts
        self._session_users = TTLCache(seconds=SESSION_CACHE_SECONDS)

    async def send_sign_in_link(self, email_text: str, next_url: str, client_ip: str) -> None:
        """E-mail a single-use link; the same outcome whether or not the address is known. A banned
        person's address gets nothing, with the same answer on the page: nothing tells it is banned."""
        email = normalise_email(email_text)
        await self._limit_links(email, client_network(client_ip))
        if (await self.storage.users.by_email(email) or {}).get("banned"):
            return
        token = await issue_token(self.storage.tokens, SIGN_IN, TOKEN_LIFETIME, self.clock(),
                                  email=email, next=local_path(next_url))
        link = f"{self.settings.site_url}/auth/email/{token}"
        await self.mailer.send(email, "Your TornadoGists sign-in link", (
            "Hello,\n\nOpen this link within 15 minutes and press its \"Sign in\" button to sign in "
            f"to TornadoGists:\n\n{link}\n\n"
            "It works once. If you did not ask for it, ignore this message.\n"
        ))

    async def _limit_links(self, email: str, network: str) -> None:
        """The requester's limits first: a refused stranger never counts against the address."""
        now, limits = self.clock(), self.storage.rate_limits
        message = "Too many sign-in links requested; please wait an hour and try again."
        await enforce(limits, f"signin-ip:{network}", PER_IP, HOUR, now, message)
        await enforce(limits, f"signin-email-ip:{email}:{network}", PER_ADDRESS_AND_IP, HOUR, now, message)
        await enforce(limits, f"signin-email:{email}", PER_ADDRESS, HOUR, now,
                      "Too many sign-in links were requested for this address; please wait an hour "
                      "and try again.")

    async def limit_github_sign_ins(self, client_ip: str) -> None:
        """Raise RateLimited past GITHUB_SIGN_INS_PER_IP an hour from one network."""
        await enforce(self.storage.rate_limits, f"github-signin:{client_network(client_ip)}",
                      GITHUB_SIGN_INS_PER_IP, HOUR, self.clock(),
                      "Too many GitHub sign-ins from your network; please wait an hour and try again.")

    async def pending(self, token: str) -> str:
        """The address an unused, unexpired sign-in token is for; the token stays usable."""
        record = await self.storage.tokens.peek(hash_token(token), SIGN_IN)
        if record is None or record["expires_at"] <= self.clock():
            raise InvalidToken(INVALID_LINK)
        return record["email"]

    async def redeem(self, token: str) -> tuple[dict, str]:
        """Use a token once; return the (possibly new) user and where to go next."""
        record = await redeem_token(self.storage.tokens, token, SIGN_IN, self.clock())
        if record is None:
            raise InvalidToken(INVALID_LINK)
        user = await self.accounts.for_email(record["email"])
        return user, local_path(record["next"])

    # Sessions: a random id in the signed cookie, its hash in `sessions`; signing out deletes it.

    async def start_session(self, user: dict) -> str:
        """A new session for `user`; returns the session cookie's value. Raises Suspended for a banned person."""
        if user.get("banned"):
            raise Suspended()
        session_id, now = secrets.token_urlsafe(32), self.clock()
        await self.storage.sessions.add(hash_token(session_id), user["_id"], now,
                                        now + datetime.timedelta(days=SESSION_DAYS))
        return session_value(user["_id"], session_id)

    async def user_for_session(self, value: bytes | None) -> dict | None:
        """The signed-in user, if the cookie's session still exists; remembered for a second.

        A sign-out or a change to a person in this process is seen at once (the version);
        one in another process within SESSION_CACHE_SECONDS.
        """
        user_id, _, session_id = (value or b"").decode().partition(":")
        if not session_id:
            return None
        version = (self.storage.users.writes, self.storage.sessions.writes)
        return await self._session_users.get(value, lambda: self._look_up(user_id, session_id), version)

    async def _look_up(self, user_id: str, session_id: str) -> dict | None:
        """Two lookups by _id, at once."""
        session_hash, now = hash_token(session_id), self.clock()
        session, user = await asyncio.gather(self.storage.sessions.get(session_hash),
                                             self.storage.users.get(user_id))
        if session is None or user is None or session["user_id"] != user["_id"] or session["expires_at"] <= now:
            return None
        if user.get("banned"):   # banned in another process moments ago: its sessions are going
            return None
        if now - session["seen_at"] > SEEN_EVERY:
            await self.storage.sessions.seen(session_hash, now)
        return user

    async def end_session(self, value: bytes | None) -> None:
        """Sign out: the session is gone, so a copy of the cookie signs no one in."""
        _, _, session_id = (value or b"").decode().partition(":")
        if session_id:
            await self.storage.sessions.remove(hash_token(session_id))
