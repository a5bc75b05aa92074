"""Everything a gist's page shows, in one call: the gist, whether the viewer loves it, its discussion."""

import dataclasses

from tornadogists.services.threads import Thread, build_thread


@dataclasses.dataclass
class GistPage:
    gist: dict
    loved: bool      # by the viewer
    thread: Thread
    since: int       # epoch milliseconds: the live socket asks for what changed after this


class GistPageService:
    def __init__(self, gists, loves, storage, clock):
        self.gists = gists   # the GistService: it refreshes a stale gist in the background
        self.loves = loves
        self.storage = storage
        self.clock = clock

    async def load(self, gist_id: str, viewer: dict | None) -> GistPage | None:
        """The page as `viewer` (None: anonymous) sees it; None when there is no such gist."""
        gist = await self.gists.get(gist_id)
        if gist is None:
            return None
        # Taken before reading the comments: anything written meanwhile reaches the page live.
        since = int(self.clock().timestamp() * 1000)
        docs = await self.storage.comments.for_gist(gist_id)
        loved = await self.loves.loved(gist_id, viewer)
        return GistPage(gist=gist, loved=loved, thread=build_thread(docs, gist), since=since)
