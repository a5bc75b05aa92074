"""Live comments: one poller per process watches the gists people have open, the database being the channel.

Every process may write comments, so a process cannot learn of them from itself. Twice a
second one query asks for comments of every watched gist changed in the last OVERLAP
seconds; overlapping polls (with a memory of what was already passed on) mean a write
that lands late, or a clock a little behind, is still seen — once.
"""

import datetime
from collections import defaultdict

from tornadogists.background import Periodic

from tornadogists.services.threads import NEST_LEVELS, CommentView, view_for
from tornadogists.storage.comments import MAX_CHANGES

POLL_SECONDS = 0.5
OVERLAP = datetime.timedelta(seconds=10)


class CommentFeed:
    """Listeners are objects with `comments_changed(views)` and `close()` (the open WebSockets)."""

    def __init__(self, storage, clock, poll_seconds: float = POLL_SECONDS):
        self.storage = storage
        self.clock = clock
        self.listeners: dict[str, set] = defaultdict(set)
        self._seen: dict = {}   # comment _id -> the updated_at last passed on
        # A failed poll (database down) is retried; the sockets stay open meanwhile.
        self.poller = Periodic(self.poll, poll_seconds, "live comments")

    def subscribe(self, gist_id: str, listener) -> None:
        self.listeners[gist_id].add(listener)

    def unsubscribe(self, gist_id: str, listener) -> None:
        self.listeners[gist_id].discard(listener)
        if not self.listeners[gist_id]:
            del self.listeners[gist_id]

    async def exists(self, gist_id: str) -> bool:
        return await self.storage.gists.outline(gist_id) is not None

    async def since(self, gist_id: str, since: datetime.datetime) -> list[CommentView] | None:
        """What changed from `since` (a reconnecting page's last news); None when too much did."""
        docs = await self.storage.comments.changed_since([gist_id], since - OVERLAP)
        if len(docs) >= MAX_CHANGES:
            return None
        return await self._views(gist_id, docs)

    async def _views(self, gist_id: str, docs: list[dict]) -> list[CommentView]:
        gist = await self.storage.gists.outline(gist_id)
        if gist is None:
            return []
        deep = [doc["parent"] for doc in docs if len(doc.get("ancestors") or []) >= NEST_LEVELS]
        handles = await self.storage.comments.author_handles(deep)
        return [view_for(doc, gist, handles.get(doc.get("parent"))) for doc in docs]

    async def stop(self) -> None:
        """Stop polling and close every socket, so nothing is left pending when the loop ends."""
        await self.poller.stop()
        for listener in [x for group in self.listeners.values() for x in group]:
            listener.close()

    async def poll(self) -> None:
        if not self.listeners:
            return
        start = self.clock() - OVERLAP
        docs = await self.storage.comments.changed_since(list(self.listeners), start)
        fresh = defaultdict(list)
        for doc in docs:
            if self._seen.get(doc["_id"]) != doc["updated_at"]:
                self._seen[doc["_id"]] = doc["updated_at"]
                fresh[doc["gist_id"]].append(doc)
        self._seen = {k: at for k, at in self._seen.items() if at >= start - OVERLAP}
        for gist_id, changed in fresh.items():
            views = await self._views(gist_id, changed)
            for listener in list(self.listeners.get(gist_id, ())):
                listener.comments_changed(views)
