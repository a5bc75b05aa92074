"""Live comments: one poller per process watches the gists people have open, the database being the channel.

Every process may write comments, so a process cannot learn of them from itself. Twice a
second one query asks for comments of every watched gist changed in the last OVERLAP
seconds; overlapping polls (with a memory of what was already passed on) mean a write
that lands late, or a clock a little behind, is still seen — once.
"""

import datetime
from collections import Counter, defaultdict

from tornadogists.background import Periodic

from tornadogists.services.limits import client_network
from tornadogists.services.threads import NEST_LEVELS, CommentView, changed_at, view_for
from tornadogists.services.visibility import may_see_gist

POLL_SECONDS = 0.5
OVERLAP = datetime.timedelta(seconds=10)
# A page that was away longer than a network blip has more to catch up on than a socket
# should carry (each replay is rendered and buffered per socket): it is told to reload.
REPLAY_EVENTS = 50


class CommentFeed:
    """Listeners are objects with `comments_changed(views)` and `close()` (the open WebSockets)."""

    def __init__(self, storage, settings, clock, poll_seconds: float = POLL_SECONDS, revisions=None):
        self.storage = storage
        self.revisions = revisions   # what an older revision's line comments say of their line (issue 11)
        self.clock = clock
        self.per_network = settings.live_sockets_per_ip
        # Half a socket's output allowance, so a replay never gets its socket dropped as too slow.
        self.replay_bytes = settings.live_buffer_bytes // 2
        self.listeners: dict[str, set] = defaultdict(set)
        self._open: Counter = Counter()   # client network -> its sockets open in this process
        self._seen: dict = {}   # comment _id -> the changed_at last passed on
        # A failed poll (database down) is retried; the sockets stay open meanwhile.
        self.poller = Periodic(self.poll, poll_seconds, "live comments")

    def subscribe(self, gist_id: str, listener) -> None:
        self.listeners[gist_id].add(listener)

    def unsubscribe(self, gist_id: str, listener) -> None:
        self.listeners[gist_id].discard(listener)
        if not self.listeners[gist_id]:
            del self.listeners[gist_id]

    def admit(self, ip: str) -> bool:
        """Count a socket opening from `ip`; False, and not counted, past the per-network cap."""
        network = client_network(ip)
        if self._open[network] >= self.per_network:
            return False
        self._open[network] += 1
        return True

    def leave(self, ip: str) -> None:
        """A socket `admit` counted has closed."""
        network = client_network(ip)
        self._open[network] -= 1
        if self._open[network] <= 0:
            del self._open[network]

    async def exists(self, gist_id: str, viewer: dict | None) -> bool:
        """The gist is there, and the viewer may see it (a hidden gist's discussion is not pushed to others)."""
        gist = await self.storage.gists.outline(gist_id)
        return gist is not None and may_see_gist(gist, viewer)

    async def since(self, gist_id: str, since: datetime.datetime, version: int | None = None) -> list[CommentView] | None:
        """What changed from `since` (a reconnecting page's last news); None when too much did.

        A page built from the gist's current `version` already shows everything: nothing is
        replayed, however much was written just before it was built (130 comments brought from
        GitHub a moment earlier would otherwise say "reload" to every view of that cached page)."""
        if version is not None and version == await self.storage.gists.version_of(gist_id):
            return []
        docs = await self.storage.comments.changed_since([gist_id], since - OVERLAP, limit=REPLAY_EVENTS + 1)
        if len(docs) > REPLAY_EVENTS or sum(len(doc.get("html") or "") for doc in docs) > self.replay_bytes:
            return None
        return await self._views(gist_id, docs)

    async def _views(self, gist_id: str, docs: list[dict]) -> list[CommentView]:
        gist = await self.storage.gists.outline(gist_id, with_content=self.revisions is not None)
        if gist is None:
            return []
        deep = [doc["parent"] for doc in docs if len(doc.get("ancestors") or []) >= NEST_LEVELS]
        handles = await self.storage.comments.author_handles(deep)
        fates = await self.revisions.line_fates(gist, docs) if self.revisions else None
        return [view_for(doc, gist, handles.get(doc.get("parent")), fates) for doc in docs]

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
            if self._seen.get(doc["_id"]) != changed_at(doc):
                self._seen[doc["_id"]] = changed_at(doc)
                fresh[doc["gist_id"]].append(doc)
        self._seen = {k: at for k, at in self._seen.items() if at >= start - OVERLAP}
        for gist_id, changed in fresh.items():
            views = await self._views(gist_id, changed)
            for listener in list(self.listeners.get(gist_id, ())):
                listener.comments_changed(views)
