"""Your data: a person's export of everything they wrote, and deleting their account by an e-mailed link.

Deletion frees the handle: the user document is removed, and what stays (gists they submitted,
comments they chose to keep, threads under their removed comments) shows "[deleted]" as its writer.
"""

import asyncio
import collections
import datetime
import json

from bson import ObjectId

from tornadogists.services.accounts import AccountError
from tornadogists.services.auth import HOUR, InvalidToken, hash_token, issue_token, redeem_token
from tornadogists.services.limits import enforce
from tornadogists.services.visibility import is_public
from tornadogists.storage.tokens import DELETE_ACCOUNT
from tornadogists.text.handles import GONE

EXPORTS_PER_HOUR, DELETION_LINKS_PER_HOUR = 5, 5
DELETION_LINK_LIFETIME = datetime.timedelta(hours=1)
# What happens to their comments (and intros): the person chooses on the account page.
CHOICES = {
    "keep": "kept, with “[deleted]” shown as their writer",
    "remove": "removed (a comment with replies stays as a “[deleted]” placeholder, so threads stay whole)",
}
INVALID_LINK = ("This deletion link is invalid, used or expired; nothing was deleted. "
                "Ask for a new one on your account page.")


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def encode(data: dict) -> bytes:
    return json.dumps(data, default=_json_value, ensure_ascii=False, indent=1).encode()


def profile(user: dict) -> dict:
    fields = ("handle", "display_name", "email", "avatar_url", "created_at", "is_admin")
    github = user.get("github") or {}
    return {key: user[key] for key in fields if key in user} | {
        "notify": {"comments": True, "replies": True} | user.get("notify", {}),
        **({"github": {"login": github.get("login"), "html_url": github.get("html_url")}} if github else {}),
    }


class YourDataService:
    def __init__(self, storage, mailer, settings, clock, moderation):
        self.storage = storage
        self.mailer = mailer
        self.settings = settings
        self.clock = clock
        self.moderation = moderation   # the deletion is logged for the admins

    async def export(self, user: dict) -> bytes:
        """Everything the person wrote and set, as JSON; no token or session secrets. Raises RateLimited."""
        await enforce(self.storage.rate_limits, f"export:{user['_id']}", EXPORTS_PER_HOUR, HOUR, self.clock(),
                      "You downloaded your data several times this hour; please wait a while.")
        data, user_id = self.storage.personal_data, user["_id"]
        comments, gists, loves, reactions, reports, tokens, sessions = await asyncio.gather(
            data.comments(user_id), data.gists_submitted(user_id), data.loves(user_id), data.reactions(user_id),
            data.reports(user_id), data.api_tokens(user_id), data.sessions(user_id))
        site = self.settings.site_url
        for comment in comments:
            comment["url"] = f"{site}/gists/{comment['gist_id']}#comment-{comment['_id']}"
        for gist in gists:
            gist["url"] = f"{site}/gists/{gist['gist_id']}"
        export = {
            "exported_at": self.clock(), "site": site, "profile": profile(user),
            "comments": comments, "gists": gists,
            "tags": sorted({tag for gist in gists for tag in gist.get("tags") or ()}),
            "loves": loves, "reactions": reactions, "reports": reports,
            "api_tokens": tokens, "sessions": sessions,
        }
        # A person with thousands of long comments: megabytes of JSON, encoded off the IO loop.
        return await asyncio.get_running_loop().run_in_executor(None, encode, export)

    async def request_deletion(self, user: dict, choice: str) -> str:
        """Mail a link that deletes the account once its button is pressed. Raises AccountError, RateLimited."""
        if choice not in CHOICES:
            raise AccountError("Choose what happens to your comments: keep them as “[deleted]” or remove them.")
        if not user.get("email"):
            raise AccountError("Add an e-mail address first: deleting the account is confirmed by an e-mailed link.")
        now = self.clock()
        await enforce(self.storage.rate_limits, f"delete-link:{user['_id']}", DELETION_LINKS_PER_HOUR, HOUR, now,
                      "Too many deletion links requested; please wait an hour.")
        token = await issue_token(self.storage.tokens, DELETE_ACCOUNT, DELETION_LINK_LIFETIME, now,
                                  user_id=user["_id"], choice=choice)
        await self.mailer.send(user["email"], "Confirm deleting your TornadoGists account", (
            f"Hello @{user['handle']},\n\nOpen this link within an hour and press its button to delete "
            f"your TornadoGists account. Your comments will be {CHOICES[choice]}.\n\n"
            f"{self.settings.site_url}/account/delete/{token}\n\n"
            "It works once. If you did not ask for it, ignore this message: nothing is deleted.\n"
        ))
        return choice

    async def pending_deletion(self, token: str) -> tuple[dict, str]:
        """(the account, the choice) an unused, unexpired link is for; the link stays usable."""
        record = await self.storage.tokens.peek(hash_token(token), DELETE_ACCOUNT)
        user = record and record["expires_at"] > self.clock() and await self.storage.users.get(record["user_id"])
        if not user:
            raise InvalidToken(INVALID_LINK)
        return user, CHOICES[record["choice"]]

    async def delete(self, token: str):
        """Spend the link and delete the account it was made for; its id."""
        record = await redeem_token(self.storage.tokens, token, DELETE_ACCOUNT, self.clock())
        user = record and await self.storage.users.get(record["user_id"])
        if not user:
            raise InvalidToken(INVALID_LINK)
        await self.erase(user, record["choice"])
        return user["_id"]

    async def erase(self, user: dict, choice: str) -> None:
        """Sign-in goes first, the user document last: a failure half-way leaves an account to retry with."""
        storage, data, user_id, now = self.storage, self.storage.personal_data, user["_id"], self.clock()
        await storage.sessions.remove_all(user_id)
        pages = await data.pages_of(user_id)
        for love in await data.loves(user_id):
            if await storage.loves.remove(love["gist_id"], user_id):
                await storage.gists.add_loves(love["gist_id"], -1)
        comments = await data.comments(user_id)
        removed = [c["_id"] for c in comments] if choice == "remove" else []
        if removed:
            await self._remove_comments(comments)
        await data.disown(user_id, remove_intros=choice == "remove", now=now)
        await data.forget(user, removed)
        await storage.users.remove(user_id)
        await storage.gists.bump({"gist_id": {"$in": pages}})
        what = "removed" if choice == "remove" else "kept as [deleted]"
        await self.moderation.log("delete-account", {"kind": "person", "id": str(user_id), "label": GONE["handle"]},
                                  None, f"Deleted by its owner; {len(comments)} comments {what}.")

    async def _remove_comments(self, comments: list[dict]) -> None:
        ids = [c["_id"] for c in comments]
        placeholders = await self.storage.personal_data.comments_with_replies(ids)
        await self.storage.personal_data.erase_comments(
            [i for i in ids if i in placeholders], [i for i in ids if i not in placeholders], self.clock())
        shown = collections.Counter(c["gist_id"] for c in comments if is_public(c))
        for gist_id, count in shown.items():
            await self.storage.gists.comments_changed(gist_id, -count)
