"""Passwordless e-mail sign-in (the Persona idea) and sessions."""

import datetime
import hashlib
import re
import secrets
from urllib.parse import urlsplit

from tornadogists.services.limits import enforce
from tornadogists.storage.tokens import SIGN_IN

TOKEN_LIFETIME = datetime.timedelta(minutes=15)
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
HOUR = 3600
PER_ADDRESS, PER_IP = 5, 20


class InvalidEmail(ValueError):
    pass


class InvalidToken(ValueError):
    """Used, expired or never issued."""


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
    """Only ever redirect to a path on this site."""
    if not next_url or not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(next_url)
    if parts.scheme or parts.netloc or any(c in next_url for c in "\r\n\\"):
        return "/"
    return next_url


def normalise_email(text: str) -> str:
    email = text.strip().lower()
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise InvalidEmail("Please enter a valid e-mail address, like you@example.com.")
    return email


class AuthService:
    def __init__(self, storage, mailer, settings, clock, accounts):
        self.storage = storage
        self.mailer = mailer
        self.settings = settings
        self.clock = clock
        self.accounts = accounts

    async def send_sign_in_link(self, email_text: str, next_url: str, client_ip: str) -> None:
        """E-mail a single-use link; the same outcome whether or not the address is known."""
        email = normalise_email(email_text)
        now = self.clock()
        message = "Too many sign-in links requested; please wait an hour and try again."
        await enforce(self.storage.rate_limits, f"signin-ip:{client_ip}", PER_IP, HOUR, now, message)
        await enforce(self.storage.rate_limits, f"signin-email:{email}", PER_ADDRESS, HOUR, now, message)
        token = await issue_token(self.storage.tokens, SIGN_IN, TOKEN_LIFETIME, now,
                                  email=email, next=local_path(next_url))
        link = f"{self.settings.site_url}/auth/email/{token}"
        await self.mailer.send(email, "Your TornadoGists sign-in link", (
            f"Hello,\n\nOpen this link within 15 minutes to sign in to TornadoGists:\n\n{link}\n\n"
            "It works once. If you did not ask for it, ignore this message.\n"
        ))

    async def redeem(self, token: str) -> tuple[dict, str]:
        """Use a token once; return the (possibly new) user and where to go next."""
        record = await redeem_token(self.storage.tokens, token, SIGN_IN, self.clock())
        if record is None:
            raise InvalidToken("This sign-in link is invalid, used or expired. Ask for a new one.")
        user = await self.accounts.for_email(record["email"])
        return user, local_path(record["next"])

    @staticmethod
    def session_value(user: dict) -> str:
        return f"{user['_id']}:{user.get('session_version', 0)}"

    async def user_for_session(self, value: bytes | None) -> dict | None:
        """The signed cookie names the user and the session version it was issued for."""
        if not value:
            return None
        user_id, _, version = value.decode().partition(":")
        user = await self.storage.users.get(user_id)
        if user is None or str(user.get("session_version", 0)) != version:
            return None
        return user
