"""Banning a person: no sign-in, no session, everything they wrote hidden; lifting a ban restores it all."""

from tornadogists.services.moderation import Item
from tornadogists.services.visibility import BAN

MAX_REASON = 500


class BanRefused(ValueError):
    """A ban we will not apply; str() says why."""


def ban_reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise BanRefused("Say why: the reason is kept in the moderation log.")
    if len(reason) > MAX_REASON:
        raise BanRefused(f"The reason is too long: at most {MAX_REASON} characters.")
    return reason


def person_target(user: dict) -> dict:
    return {"kind": "person", "id": str(user["_id"]), "label": user["handle"]}


class BanService:
    def __init__(self, storage, moderation, clock):
        self.storage = storage
        self.moderation = moderation
        self.clock = clock

    async def ban(self, user_id, by: dict, why: str) -> dict | None:
        """Ban a person (None: no such person). Raises BanRefused for admins and a missing reason."""
        why = ban_reason(why)
        user = await self.storage.users.get(user_id)
        if user is None:
            return None
        if user.get("is_admin"):
            raise BanRefused("Admins cannot be banned here: take them out of the `admins` setting first.")
        if user.get("banned"):
            return user
        banned = {"at": self.clock(), "by": by["handle"], "reason": why}
        user = await self.storage.users.update(user["_id"], {"banned": banned})
        await self.storage.sessions.remove_all(user["_id"])
        await self._set_items(user, hidden=True)
        await self.moderation.log("ban", person_target(user), by, why)
        return user

    async def unban(self, user_id, by: dict, why: str) -> dict | None:
        """Lift a ban: the person may sign in again and what they wrote is shown again (unless hidden otherwise)."""
        why = ban_reason(why)
        user = await self.storage.users.get(user_id)
        if user is None:
            return None
        if not user.get("banned"):
            return user
        user = await self.storage.users.update(user["_id"], {}, remove=("banned",))
        await self._set_items(user, hidden=False)
        await self.moderation.log("unban", person_target(user), by, why)
        return user

    async def _set_items(self, user: dict, hidden: bool) -> None:
        """Every gist and comment of the person gets (or loses) the BAN reason; no log line per item."""
        only = None if hidden else BAN
        await self.moderation.set_comments(BAN, hidden, await self.storage.comments.ids_by_author(user["_id"], only))
        for gist_id in await self.storage.gists.ids_by_submitter(user["_id"], only):
            await self.storage.gists.set_hidden(gist_id, BAN, hidden)

    async def ban_author(self, item: Item, by: dict, why: str) -> dict | None:
        return await self.ban(item.author["id"], by, why)
