"""Loving a gist: a toggle that counts each person once, however many clicks arrive together."""

import asyncio
import weakref

from tornadogists.services.limits import enforce
from tornadogists.services.visibility import may_see_gist, reasons

TOGGLES_PER_MINUTE = 60


class HiddenGist(Exception):
    """A hidden gist takes no loves until it is shown again; str() says so to those who see it."""


class LoveService:
    def __init__(self, storage, clock):
        self.storage = storage
        self.clock = clock
        self._clicks = weakref.WeakValueDictionary()  # (gist, person) -> a lock while a toggle runs

    async def toggle(self, gist_id: str, user: dict) -> tuple[bool, int] | None:
        """Love or un-love; (loved now, the gist's count), or None for an unknown gist (a hidden one
        is unknown to all but its submitter and admins; to them it raises HiddenGist).

        Only the request that created (or removed) the love record moves the counter,
        so the count equals the number of records whatever the interleaving.
        """
        card = await self.storage.gists.get_card(gist_id)
        if card is None or not may_see_gist(card, user):
            return None
        if reasons(card):
            raise HiddenGist("This gist is hidden pending review: it takes no loves until it is shown again.")
        await enforce(self.storage.rate_limits, f"love:{user['_id']}", TOGGLES_PER_MINUTE, 60,
                      self.clock(), "You are loving and un-loving very fast; please wait a minute.")
        # One person's double click runs in turn here, so no answer shows a count between
        # someone's removal and their own not-yet-counted love (e.g. -1). Other processes
        # may still interleave; the stored count stays exact either way.
        lock = self._clicks.setdefault((gist_id, user["_id"]), asyncio.Lock())
        async with lock:
            return await self._toggle(gist_id, user)

    async def _toggle(self, gist_id: str, user: dict) -> tuple[bool, int]:
        if await self.storage.loves.add(gist_id, user["_id"], self.clock()):
            return True, await self.storage.gists.add_loves(gist_id, 1)
        if await self.storage.loves.remove(gist_id, user["_id"]):
            return False, await self.storage.gists.add_loves(gist_id, -1)
        # Removed by a concurrent click of the same person: that request moved the counter.
        return False, (await self.storage.gists.get_card(gist_id))["loves"]

    async def loved(self, gist_id: str, user: dict | None) -> bool:
        return bool(user) and await self.storage.loves.exists(gist_id, user["_id"])
