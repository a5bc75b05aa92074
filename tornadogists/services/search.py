"""Full-text search over gists (description, tags, file names, contents) and their comments, with filters and sorts."""

import asyncio

from tornadogists.services.limits import client_network, enforce
from tornadogists.storage.search_index import SearchUnavailable
from tornadogists.text.search import excerpt, file_excerpt
from tornadogists.text.search_query import InvalidQuery, SearchQuery, parse_query, parse_sort

SEARCH_WINDOW_SECONDS = 60
__all__ = ["InvalidQuery", "SearchService", "SearchUnavailable"]


def excerpts(results: list[dict], terms: list[str]) -> list[dict]:
    """Attach where each result matched: a line of a file, a comment. CPU-bound: run in an executor."""
    for result in results:
        result["file"] = file_excerpt(result.pop("files"), terms)
        comment = result["comment"]
        found = excerpt(comment["body"], terms) if comment else None
        result["comment_excerpt"] = found[1] if found else None
    return results


class SearchService:
    def __init__(self, storage, cache, per_page: int, settings, clock):
        self.storage = storage
        self.index = storage.search   # SQLite FTS5 on the embedded server, MongoDB's $text on a real one
        self.cache = cache
        self.per_page = per_page
        self.per_network = settings.search_rate_limit
        self.clock = clock

    async def search(self, text: str, page: int, per_page: int | None = None, client_ip: str = "",
                     sort: str = "", user: dict | None = None) -> dict | None:
        """One page of results as {results, has_next, total}, each with its card and excerpts; None for no query.

        Raises InvalidQuery for a query or sort the site will not run (str() says why),
        RateLimited when `client_ip`'s network asked for too many searches not already answered,
        and SearchUnavailable while the search index is being built."""
        query, sort = parse_query(text), parse_sort(sort)
        if query.loved and user is None:
            raise InvalidQuery("is:loved shows the gists you loved: sign in to use it.")
        if not text.strip():
            return None
        if not query.has_text and not query.has_filters:   # only words to leave out: nothing to find
            return {"results": [], "has_next": False, "total": 0}
        per_page = per_page or self.per_page
        # A popular query is answered once per few seconds, and concurrent ones share one run.
        key = ("search", query.key(), sort, page, per_page, user["_id"] if query.loved else None)
        version = self.storage.gists.writes
        if not self.cache.holds(key, version):   # an answer in memory costs nothing: only new searches count
            await enforce(self.storage.rate_limits, f"search:{client_network(client_ip)}", self.per_network,
                          SEARCH_WINDOW_SECONDS, self.clock(),
                          f"Your network has made many new searches this minute (at most {self.per_network}); "
                          "searches already made stay available. Please wait a minute and try again.")
        return await self.cache.get(key, lambda: self._search(query, sort, page, per_page, user), version)

    async def languages(self) -> list[str]:
        """The languages of public gists' files, for the search form's filter row."""
        return await self.cache.get(("search-languages",), self.index.languages, self.storage.gists.writes)

    async def _search(self, query: SearchQuery, sort: str, page: int, per_page: int, user: dict | None) -> dict:
        loved = await self.storage.loves.all_gist_ids_by(user["_id"]) if query.loved else None
        start = (page - 1) * per_page
        total, shown = await self.index.find(query, loved, sort, start, per_page)
        shown = await asyncio.get_running_loop().run_in_executor(None, excerpts, shown, query.terms)
        return {"results": shown, "has_next": total > start + per_page, "total": total}
