"""Accounts: one per person, found by e-mail or GitHub id, and the changes a person makes to theirs."""

import datetime
import unicodedata
from urllib.parse import quote

from pymongo.errors import DuplicateKeyError

from tornadogists.services.auth import HOUR, InvalidToken, issue_token, redeem_token
from tornadogists.services.limits import enforce
from tornadogists.storage.tokens import CHANGE_EMAIL
from tornadogists.text.emails import InvalidEmail, normalise_email
from tornadogists.text.handles import InvalidHandle, check_handle, handle_candidates

MAX_DISPLAY_NAME = 80
# Bidirectional overrides would let a name reorder the text shown after it.
INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
EMAIL_CHANGE_LIFETIME = datetime.timedelta(hours=24)
WRITES_PER_HOUR, EMAIL_CHANGES_PER_HOUR = 60, 5


class AccountError(ValueError):
    """A change we refuse; str() is the message shown with the form."""


def _plain(text: str) -> str:
    """Runs of whitespace (newlines included) become one space; control characters go."""
    kept = (c for c in text if c not in INVISIBLE and (c.isspace() or unicodedata.category(c) != "Cc"))
    return " ".join("".join(kept).split())


def display_name(text: str) -> str:
    name = _plain(text)
    if len(name) > MAX_DISPLAY_NAME:
        raise AccountError(f"A display name has at most {MAX_DISPLAY_NAME} characters.")
    return name


class AccountService:
    def __init__(self, storage, mailer, settings, clock):
        self.storage = storage
        self.mailer = mailer
        self.settings = settings
        self.clock = clock

    # Signing in: both ways end here, so both set is_admin the same way.

    def is_admin(self, email: str | None, github_login: str | None) -> bool:
        names = {email, github_login and github_login.lower()} - {None}
        return not names.isdisjoint(self.settings.admin_names)

    async def for_email(self, email: str) -> dict:
        """The account of an address just proven, created on its first sign-in."""
        user = await self.storage.users.by_email(email)
        if user is None:
            try:
                fields = {"email": email, "is_admin": self.is_admin(email, None)}
                return await self.storage.users.create(fields, handle_candidates(email))
            except DuplicateKeyError:  # the same address signed in twice at once
                user = await self.storage.users.by_email(email)
        is_admin = self.is_admin(email, (user.get("github") or {}).get("login"))
        if user.get("is_admin") is is_admin:
            return user
        return await self.storage.users.update(user["_id"], {"is_admin": is_admin})

    async def for_github(self, person: dict, signed_in: dict | None = None) -> dict:
        """The account of a GitHub user (see GitHubOAuth2Mixin), its GitHub login and avatar refreshed.

        Signed in, GitHub is linked to the current account. Otherwise the account linked to
        this GitHub id, else the one with GitHub's verified primary e-mail, else a new one.
        """
        user = await self._github_account(person, signed_in)
        profile_url = person["html_url"] or f"{self.settings.github_oauth_url}/{quote(person['login'])}"
        changes = {
            "github": {"id": person["id"], "login": person["login"], "html_url": profile_url},
            "is_admin": self.is_admin(user.get("email"), person["login"]),
        }
        if person["avatar_url"]:
            changes["avatar_url"] = person["avatar_url"]
        if not user.get("display_name") and _plain(person["name"]):
            changes["display_name"] = _plain(person["name"])[:MAX_DISPLAY_NAME].strip()
        try:
            updated = await self.storage.users.update(
                user["_id"], changes, remove=() if person["avatar_url"] else ("avatar_url",))
        except DuplicateKeyError:  # linked to another account meanwhile
            raise AccountError("This GitHub account is already linked to another account.") from None
        if updated.get("avatar_url") != user.get("avatar_url"):
            await self.storage.authors.change_avatar(user["_id"], updated.get("avatar_url"))
        return updated

    async def _github_account(self, person: dict, signed_in: dict | None) -> dict:
        users = self.storage.users
        linked = await users.by_github_id(person["id"])
        if signed_in is not None:
            if linked is not None and linked["_id"] != signed_in["_id"]:
                raise AccountError(
                    f"This GitHub account is already linked to @{linked['handle']}. Sign out and "
                    "sign in with GitHub to use that account.")
            return signed_in
        if linked is not None:
            return linked
        try:
            email = normalise_email(person["email"] or "")
        except InvalidEmail:
            email = None
        if email and (user := await users.by_email(email)) is not None:
            return user
        fields = {"github": {"id": person["id"]}} | ({"email": email} if email else {})
        try:
            return await users.create(fields, handle_candidates(person["login"]))
        except DuplicateKeyError:  # the same person signing in twice at once
            return await users.by_github_id(person["id"]) or await users.by_email(email)

    # Changes made on the account page. Every one is a write, and writes are rate-limited.

    async def _limit_writes(self, user: dict) -> None:
        await enforce(self.storage.rate_limits, f"account:{user['_id']}", WRITES_PER_HOUR, HOUR,
                      self.clock(), "Too many changes to your account; please wait a while and try again.")

    async def update_profile(self, user: dict, handle_text: str, name_text: str) -> dict:
        """Handle and display name; a new handle follows the person onto their gists and comments."""
        await self._limit_writes(user)
        handle, name = check_handle(handle_text), display_name(name_text)
        try:
            updated = await self.storage.users.update(
                user["_id"], {"handle": handle} | ({"display_name": name} if name else {}),
                remove=() if name else ("display_name",))
        except DuplicateKeyError:
            raise InvalidHandle(f"'{handle}' is taken; please choose another handle.") from None
        if handle != user["handle"]:
            await self.storage.authors.rename(user["_id"], handle)
        return updated

    async def request_email_change(self, user: dict, email_text: str) -> str:
        """Mail a confirmation link to the new address; the old one stays until it is opened."""
        await self._limit_writes(user)
        email = normalise_email(email_text)
        if email == user.get("email"):
            raise AccountError("That is already your address.")
        if await self.storage.users.by_email(email) is not None:
            raise AccountError("That address belongs to another account.")
        now = self.clock()
        await enforce(self.storage.rate_limits, f"email-change:{user['_id']}", EMAIL_CHANGES_PER_HOUR,
                      HOUR, now, "Too many confirmation links requested; please wait an hour.")
        token = await issue_token(self.storage.tokens, CHANGE_EMAIL, EMAIL_CHANGE_LIFETIME, now,
                                  email=email, user_id=user["_id"])
        link = f"{self.settings.site_url}/account/email/{token}"
        await self.mailer.send(email, "Confirm your new address on TornadoGists", (
            f"Hello @{user['handle']},\n\nOpen this link within 24 hours to make {email} "
            f"the address of your TornadoGists account:\n\n{link}\n\n"
            "It works once. If you did not ask for it, ignore this message.\n"
        ))
        return email

    async def confirm_email_change(self, token: str) -> dict:
        record = await redeem_token(self.storage.tokens, token, CHANGE_EMAIL, self.clock())
        if record is None:
            raise InvalidToken("This confirmation link is invalid, used or expired. "
                               "Ask for a new one on your account page.")
        user = await self.storage.users.get(record["user_id"])
        if user is None:
            raise InvalidToken("This confirmation link belongs to an account that no longer exists.")
        try:
            # The address may make or unmake an admin, like signing in does.
            return await self.storage.users.update(user["_id"], {
                "email": record["email"],
                "is_admin": self.is_admin(record["email"], (user.get("github") or {}).get("login")),
            })
        except DuplicateKeyError:
            raise AccountError("That address now belongs to another account.") from None

    async def set_notifications(self, user: dict, notify: dict[str, bool]) -> dict:
        """notify: "comments", "replies", "mentions" -> whether to mail them (services/notifications.py)."""
        await self._limit_writes(user)
        return await self.storage.users.update(user["_id"], {"notify": notify})

    async def unlink_github(self, user: dict) -> dict:
        """Never the last way to sign in: without an e-mail address, GitHub stays."""
        await self._limit_writes(user)
        if not user.get("github"):
            return user
        if not user.get("email"):
            raise AccountError("Add an e-mail address before unlinking GitHub, "
                               "or you could not sign in again.")
        updated = await self.storage.users.update(
            user["_id"], {"is_admin": self.is_admin(user["email"], None)}, remove=("github", "avatar_url"))
        if user.get("avatar_url"):
            await self.storage.authors.change_avatar(user["_id"], None)
        return updated

    async def sign_out_everywhere(self, user: dict) -> dict:
        """Every session cookie of the account stops working; the caller signs this browser in anew."""
        await self._limit_writes(user)
        await self.storage.sessions.remove_all(user["_id"])
        return user
