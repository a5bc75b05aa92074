"""Everything a gist's page shows, built once per change and kept in memory (services/page_cache.py)."""

import asyncio
import dataclasses
import hashlib
from collections.abc import Callable

from tornadogists.services.page_cache import ByteLRU, VersionPoller, weight
from tornadogists.services.threads import Thread, build_thread
from tornadogists.text.downloads import zip_files
from tornadogists.text.ranking import most_similar

# Signed-in renderings kept per page; past this they start over (a page read by many people).
MAX_PERSONAL = 200
# Renderings of comments kept per page (each distinct set of viewer relations is one).
MAX_FRAGMENTS = 2000
# Related gists a page shows, from at most this many candidates per kind (storage: related_candidates).
RELATED, RELATED_CANDIDATES = 5, 50


@dataclasses.dataclass
class GistPage:
    gist: dict
    thread: Thread
    since: int           # epoch milliseconds: the live socket asks for what changed after this
    version: int
    lovers: frozenset    # ids of the people who love the gist
    related: list = dataclasses.field(default_factory=list)   # the cards of the most similar gists
    # Filled by the handler as it renders: comments by (id, inline, viewer's relations), and
    # the whole page as an anonymous visitor sees it, in each colour theme asked for: theme -> (when, bytes).
    fragments: dict = dataclasses.field(default_factory=dict)
    anonymous: dict = dataclasses.field(default_factory=dict)
    # Signed-in views, by everything about the viewer a page shows (bounded: MAX_PERSONAL).
    personal: dict = dataclasses.field(default_factory=dict)
    embeds: dict = dataclasses.field(default_factory=dict)   # ?file= name (None: all) -> handlers/embeds.py Fragment
    raw: dict = dataclasses.field(default_factory=dict)   # file name -> (its text as UTF-8, the hash of it)
    archive: dict = dataclasses.field(default_factory=dict)  # "zip" -> the files as one ZIP (archive())
    data_bytes: int = 0   # what the data weighs (page_cache.weight); every rendering kept adds its own
    # Told of every change in what the renderings weigh: the page cache counts them in its one budget.
    counted: Callable[[int], None] = lambda change: None

    def keep(self, shelf: dict, key, value, most: int = MAX_PERSONAL):
        """Put a rendering on one of the page's shelves (fragments, anonymous, personal, embeds) and
        count its bytes; a shelf holding `most` starts over. Returns `value`."""
        if key not in shelf and len(shelf) >= most:
            self.counted(-sum(weight(k) + weight(v) for k, v in shelf.items()))
            shelf.clear()
        if key in shelf:
            self.counted(-weight(key) - weight(shelf[key]))
        shelf[key] = value
        self.counted(weight(key) + weight(value))
        return value

    def raw_file(self, name: str) -> tuple[bytes, str] | None:
        """A file's exact text, encoded and hashed once per version; None when there is none by that name."""
        if name not in self.raw:
            content = next((f.get("content") for f in self.gist.get("files", []) if f["name"] == name), None)
            if content is None:
                return None
            data = content.encode("utf-8")
            self.keep(self.raw, name, (data, hashlib.sha1(data).hexdigest()))
        return self.raw[name]

    def loved_by(self, viewer: dict | None) -> bool:
        return bool(viewer) and viewer["_id"] in self.lovers

    def related_changed(self, versions: dict[str, int]) -> bool:
        """A related gist was written since the page was built (its card changed, it was hidden):
        `versions` is what this process knows (storage/gists.py), so no database call."""
        return any(versions.get(card["gist_id"], 0) > card.get("version", 0) for card in self.related)


class GistPageService:
    def __init__(self, gists, storage, clock, cache_bytes: int, revisions):
        self.gists = gists   # the GistService: it refreshes a stale gist in the background
        self.revisions = revisions   # what became of the lines older line comments are on (issue 11)
        self.storage = storage
        self.clock = clock
        self.pages = ByteLRU(cache_bytes)
        self._building: dict[tuple, asyncio.Future] = {}
        self.versions = VersionPoller(storage.gists, clock)

    def writes(self) -> int:
        """How many writes this process has made that change a gist's page (storage/gists.py)."""
        return self.storage.gists.writes

    async def load(self, gist_id: str, wrote_at: int | None = None) -> GistPage | None:
        """The page's data (the same for every viewer); None when there is no such gist.

        Served from memory while the gist's version is the one cached: no database call.
        `wrote_at` (epoch ms): the viewer wrote then, maybe through another process, so a page
        built before it is read afresh (handlers/base.py, WROTE_COOKIE).
        """
        version = self.storage.gists.versions.get(gist_id)
        page = self.pages.get((gist_id, version)) if version is not None else None
        if page is not None and (wrote_at is None or page.since >= wrote_at) \
                and not page.related_changed(self.storage.gists.versions):
            self.gists.refresh_if_stale(page.gist)
            return page
        # One build per change: the views arriving meanwhile wait for it instead of each reading.
        key = (gist_id, version)
        if key not in self._building:
            self._building[key] = asyncio.ensure_future(self._build(gist_id))
            self._building[key].add_done_callback(lambda _: self._building.pop(key, None))
        page = await asyncio.shield(self._building[key])
        if page is not None and wrote_at is not None and page.since < wrote_at:
            page = await self._build(gist_id)   # that build started before this viewer's write
        return page

    async def archive(self, page: GistPage) -> bytes:
        """The files the page shows as text, as one ZIP: built once per version, in an executor.
        Its size is bounded by what a gist may store (services/gists.py CONTENT_BUDGET, 3 MB)."""
        if "zip" not in page.archive:
            files = [(file["name"], file["content"]) for file in page.gist["files"] if file.get("content") is not None]
            data = await asyncio.get_running_loop().run_in_executor(None, zip_files, page.gist["gist_id"], files)
            page.keep(page.archive, "zip", data, 1)
        return page.archive["zip"]

    async def _build(self, gist_id: str) -> GistPage | None:
        gist = await self.gists.get(gist_id)
        if gist is None:
            return None
        # Taken before reading the comments: anything written meanwhile reaches the page live,
        # and bumps the version, so the next view rebuilds.
        since = int(self.clock().timestamp() * 1000)
        docs = await self.storage.comments.for_gist(gist_id)
        fates = await self.revisions.line_fates(gist, docs)
        lovers = await self.storage.loves.lovers(gist_id)
        related = most_similar(gist, await self.storage.gists.related_candidates(gist, RELATED_CANDIDATES), RELATED)
        page = GistPage(gist=gist, thread=build_thread(docs, gist, fates), since=since,
                        version=gist.get("version", 0), lovers=lovers, related=related,
                        data_bytes=weight(gist) + weight(docs) + weight(related))
        self.storage.gists.saw_version(gist_id, page.version)
        key = (gist_id, page.version)
        page.counted = lambda change: self.pages.grow(key, page, change)
        self.pages.put(key, page, page.data_bytes)
        return page
