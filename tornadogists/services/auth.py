"""Passwordless e-mail sign-in (the Persona idea) and sessions."""

import datetime
import hashlib
import re
import secrets
from urllib.parse import urlsplit

from pymongo.errors import DuplicateKeyError

from tornadogists.services.limits import enforce
from tornadogists.text.handles import handle_candidates

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
    def __init__(self, storage, mailer, settings, clock):
        self.storage = storage
        self.mailer = mailer
        self.settings = settings
        self.clock = clock

    async def send_sign_in_link(self, email_text: str, next_url: str, client_ip: str) -> None:
        """E-mail a single-use link; the same outcome whether or not the address is known."""
        email = normalise_email(email_text)
        now = self.clock()
        message = "Too many sign-in links requested; please wait an hour and try again."
        await enforce(self.storage.rate_limits, f"signin-ip:{client_ip}", PER_IP, HOUR, now, message)
        await enforce(self.storage.rate_limits, f"signin-email:{email}", PER_ADDRESS, HOUR, now, message)
        token = secrets.token_urlsafe(32)
        await self.storage.tokens.add(hash_token(token), email, local_path(next_url), now + TOKEN_LIFETIME)
        link = f"{self.settings.site_url}/auth/email/{token}"
        await self.mailer.send(email, "Your TornadoGists sign-in link", (
            f"Hello,\n\nOpen this link within 15 minutes to sign in to TornadoGists:\n\n{link}\n\n"
            "It works once. If you did not ask for it, ignore this message.\n"
        ))

    async def redeem(self, token: str) -> tuple[dict, str]:
        """Use a token once; return the (possibly new) user and where to go next."""
        record = await self.storage.tokens.take(hash_token(token))
        if record is None or record["expires_at"] <= self.clock():
            raise InvalidToken("This sign-in link is invalid, used or expired. Ask for a new one.")
        user = await self.user_for_email(record["email"])
        return user, local_path(record["next"])

    async def user_for_email(self, email: str) -> dict:
        user = await self.storage.users.by_email(email)
        if user is None:
            try:
                user = await self.storage.users.create({"email": email}, handle_candidates(email))
            except DuplicateKeyError:  # the same address signed in twice at once
                user = await self.storage.users.by_email(email)
        return user

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
