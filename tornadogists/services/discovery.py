"""Listings: the home page's sorts, languages, the most loved people, a person's page and its tabs."""

import asyncio
import dataclasses
import hashlib

from tornadogists.background import Periodic
from tornadogists.services.visibility import may_see_comment, may_see_gist
from tornadogists.text.feeds import gist_updated
from tornadogists.text.sitemap import sitemap_index_xml, sitemap_xml

SORTS = ("hot", "latest", "discussed", "loved")
DEFAULT_SORT = "hot"
# Every minute, the gists whose oldest comment of the last 30 days left the window are counted
# again (storage/discussion.py), a thousand at most: at 50,000 gists about one a minute falls due.
DISCUSSED_SWEEP_SECONDS, DISCUSSED_SWEEP_BATCH = 60, 1000
PEOPLE = 50


class UnknownSort(ValueError):
    """Not one of SORTS; str() names the ones there are."""


class PageNotFound(LookupError):
    """A page past the last one; str() says how many there are."""


def split_page(rows: list, per_page: int) -> tuple[list, bool]:
    """Storage returns one row more than a page: it says whether a next page exists."""
    return rows[:per_page], len(rows) > per_page


@dataclasses.dataclass(frozen=True)
class Listing:
    """One page of a listing, and how many pages it has (None where it is not counted)."""
    items: list
    page: int
    pages: int | None
    has_next: bool
    # What the items held when read: the page's content key (handlers/base.py render_public), taken
    # once per read, not per view (a repr of 20 cards on every view of `/` was most of its time).
    digest: str = ""


def digest_of(items: list) -> str:
    return hashlib.sha1(repr(items).encode()).hexdigest()


async def split(rows, per_page: int) -> tuple[list, bool]:
    return split_page(await rows, per_page)


def make_listing(items: list, has_next: bool, total: int | None, page: int, per_page: int,
                 digest: str = "") -> Listing:
    """Raises PageNotFound past the last page. The count may lag another process's write by
    a few seconds (services/cache.py): the rows read decide what exists, the count is shown."""
    pages = None if total is None else max(-(-total // per_page), page + has_next if items else 1)
    if page > 1 and not items:
        raise PageNotFound(f"There is no page {page}: this listing ends before it." if pages is None else
                           f"There is no page {page}: this listing has {pages} page{'s' if pages != 1 else ''}.")
    return Listing(items, page, pages, has_next, digest or digest_of(items))


async def counted_listing(storage, cache, key, rows, count_key: str | None, page: int, per_page: int) -> Listing:
    """`rows()` (a page's items, whether a next page exists) and the listing's count
    (storage/listing_counts.py), read together and cached a few seconds: no count per view."""
    async def compute():
        items, has_next = await rows()
        return items, has_next, (await storage.gists.counts.get(count_key) if count_key else None), digest_of(items)
    items, has_next, total, digest = await cache.get(key, compute, storage.gists.writes)
    return make_listing(items, has_next, total, page, per_page, digest)


async def languages_in_use(storage, cache) -> list[dict]:
    """Every language some public gist has a file in, with how many: {language, count}, most first."""
    return await cache.get("languages", storage.gists.counts.languages, storage.gists.writes)


async def language_named(storage, cache, slug: str) -> str | None:
    """A language as GitHub names it ("C++") from its name in a URL, any case ("c++"); None if no gist has it."""
    return next((row["language"] for row in await languages_in_use(storage, cache)
                 if row["language"].lower() == slug.lower()), None)


class DiscoveryService:
    def __init__(self, storage, cache, clock, per_page: int, sitemap_urls: int = 5_000):
        self.storage = storage
        self.sitemap_urls = sitemap_urls
        self.cache = cache
        self.clock = clock
        self.per_page = per_page
        self.sweeper = Periodic(self.sweep_discussed, DISCUSSED_SWEEP_SECONDS, "discussed counts")

    async def home(self, sort: str, page: int, per_page: int | None = None) -> Listing:
        """One page of a sort's cards (cached a few seconds) and the page count; the most
        discussed (a 30-day window) are not counted. Raises UnknownSort, PageNotFound.

        `per_page` is the site's page size unless asked otherwise (the API lets clients choose).
        """
        if sort not in SORTS:
            raise UnknownSort(f"Unknown sort “{sort}”: use one of {', '.join(SORTS)}.")
        per_page = per_page or self.per_page
        rows = {
            "hot": lambda: split(self.storage.gists.hottest(page, per_page), per_page),
            "latest": lambda: split(self.storage.gists.latest(page, per_page), per_page),
            "loved": lambda: split(self.storage.gists.most_loved(page, per_page), per_page),
            "discussed": lambda: split(self._discussed(page, per_page), per_page),
        }[sort]
        return await counted_listing(self.storage, self.cache, ("home", sort, page, per_page), rows,
                                     None if sort == "discussed" else "all", page, per_page)

    async def languages(self) -> list[dict]:
        return await languages_in_use(self.storage, self.cache)

    async def language(self, slug: str, page: int) -> tuple[str, Listing] | None:
        """A language's name and one page of its gists, newest first; None for a language no gist has.
        Raises PageNotFound."""
        name = await language_named(self.storage, self.cache, slug)
        if name is None:
            return None
        return name, await counted_listing(
            self.storage, self.cache, ("language", name, page),
            lambda: split(self.storage.gists.in_language(name, page, self.per_page), self.per_page),
            f"language:{name}", page, self.per_page)

    async def _discussed(self, page: int, per_page: int) -> list[dict]:
        """Most visible comments written in the last 30 days, each card with that count."""
        return [{**card, "recent_comments": card["discussed"]}
                for card in await self.storage.gists.most_discussed(page, per_page)]

    async def sweep_discussed(self) -> int:
        """Count again the gists whose 30-day count fell with time alone; how many there were."""
        return await self.storage.gists.recount_discussed(self.clock(), DISCUSSED_SWEEP_BATCH)

    async def people(self) -> list[dict]:
        """People whose submitted gists got the most loves: {user, loves, gists}."""
        return await self.cache.get("people", lambda: self.storage.gists.most_loved_submitters(PEOPLE),
                                    self.storage.gists.writes)

    async def person(self, handle: str, tab: str, page: int) -> dict | None:
        """A person and one page of a tab (submitted, comments, loved); None for an unknown handle.
        Only the submitted gists are counted in pages. Raises PageNotFound."""
        user = await self.storage.users.by_handle(handle)
        if user is None:
            return None
        fetch = {"submitted": self._submitted, "loved": self._loved, "comments": self._comments}[tab]
        # The person is read fresh (a renamed handle must 404 at once); their lists may be seconds old.
        listing = await counted_listing(self.storage, self.cache, ("person", user["_id"], tab, page),
                                        lambda: fetch(user["_id"], page),
                                        f"submitter:{user['_id']}" if tab == "submitted" else None, page, self.per_page)
        return {"user": user, "tab": tab, "listing": listing, "items": listing.items, "has_next": listing.has_next}

    async def _submitted(self, user_id, page: int) -> tuple[list[dict], bool]:
        return await split(self.storage.gists.submitted_by(user_id, page, self.per_page), self.per_page)

    async def _loved(self, user_id, page: int) -> tuple[list[dict], bool]:
        gist_ids, has_next = await split(self.storage.loves.gist_ids_by(user_id, page, self.per_page), self.per_page)
        return await self.storage.gists.cards(gist_ids), has_next

    async def _comments(self, user_id, page: int) -> tuple[list[dict], bool]:
        """Public comments on public gists (visibility.py, as anyone sees them), newest first,
        each with its gist's card."""
        comments, has_next = await split(self.storage.comments.by_author(user_id, page, self.per_page), self.per_page)
        cards = {card["gist_id"]: card for card in
                 await self.storage.gists.cards(list({c["gist_id"] for c in comments}))}
        return [{**comment, "gist": cards[comment["gist_id"]]} for comment in comments
                if may_see_comment(comment, cards.get(comment["gist_id"]), None)], has_next

    # Sitemaps (issue 17): first the listings and every tag, then the gists, oldest first (a new one
    # joins the last file), each file with its gists' submitters. A file's gists are one indexed page:
    # reading all 50,000 gists at once took longer than the database's 5 s limit.

    async def sitemap_index(self, links) -> bytes:
        """sitemap.xml: an index of the sitemap files, each of at most `sitemap_urls` addresses."""
        first, gist_files = await self._sitemap_shape(links)
        count = self._first_files(first) + gist_files
        files = [links("sitemap-file", str(number)) for number in range(1, count + 1)]
        return await asyncio.get_running_loop().run_in_executor(None, sitemap_index_xml, files)

    async def sitemap_file(self, number: int, links) -> bytes | None:
        """Sitemap file `number` (from 1); None past the last one."""
        first, gist_files = await self._sitemap_shape(links)
        first_files = self._first_files(first)
        if 1 <= number <= first_files:
            urls = first[(number - 1) * self.sitemap_urls:number * self.sitemap_urls]
        elif first_files < number <= first_files + gist_files:
            urls = await self.cache.get(("sitemap", number), lambda: self._gist_urls(number - first_files - 1, links),
                                        self.storage.gists.writes)
        else:
            return None
        return await asyncio.get_running_loop().run_in_executor(None, sitemap_xml, urls)

    @property
    def _gists_a_file(self) -> int:
        return max(self.sitemap_urls // 2, 1)   # and as many submitters at most

    def _first_files(self, first: list) -> int:
        return -(-len(first) // self.sitemap_urls)

    async def _sitemap_shape(self, links) -> tuple[list[tuple], int]:
        """The listings' and tags' addresses, and how many files of gists follow (cached a few seconds)."""
        async def compute():
            tags = await self.storage.gists.tag_counts()
            first = [(links(name), None) for name in ("home", "tags", "people")]
            gists = await self.storage.gists.stored()
            return first + [(links("tag", tag["tag"]), None) for tag in tags], -(-gists // self._gists_a_file)
        return await self.cache.get("sitemap", compute, self.storage.gists.writes)

    async def _gist_urls(self, file: int, links) -> list[tuple]:
        """File `file` (from 0) of the gists, oldest first, then their submitters' pages; hidden ones left out."""
        gists = [gist for gist in await self.storage.gists.sitemap(file * self._gists_a_file, self._gists_a_file)
                 if may_see_gist(gist, None)]
        handles = dict.fromkeys(gist["submitter"]["handle"] for gist in gists)
        return ([(links("gist", gist["gist_id"]), gist_updated(gist)) for gist in gists]
                + [(links("user", handle), None) for handle in handles])
