"""Full-text search over gists (description, tags, file names, contents) and their comments."""

import asyncio

from pymongo.errors import OperationFailure

from tornadogists.services.limits import client_network, enforce
from tornadogists.text.search import MAX_QUERY, excerpt, file_excerpt, normalise_query, query_terms

# Each collection gives at most this many best matches; results are merged and paged in memory
# because $text cannot be counted or combined across collections by the database.
CANDIDATES = 300
SEARCH_WINDOW_SECONDS = 60


class InvalidQuery(ValueError):
    """A query the site will not run; str() says why."""


def rank(gist_hits: list[tuple[str, float]], comment_hits: list[dict]) -> list[dict]:
    """One result per gist: its own score plus its best comment's, best first."""
    results = {gist_id: {"gist_id": gist_id, "score": score, "comment": None} for gist_id, score in gist_hits}
    for comment in comment_hits:  # best first, so the first one seen for a gist is its best
        result = results.setdefault(comment["gist_id"], {"gist_id": comment["gist_id"], "score": 0, "comment": None})
        if result["comment"] is None:
            result["comment"] = comment
            result["score"] += comment["score"]
    return sorted(results.values(), key=lambda r: (-r["score"], r["gist_id"]))


def excerpts(results: list[dict], files: dict[str, list[dict]], terms: list[str]) -> list[dict]:
    """Attach where each result matched: a line of a file, a comment. CPU-bound: run in an executor."""
    for result in results:
        result["file"] = file_excerpt(files.get(result["gist_id"], []), terms)
        comment = result["comment"]
        found = excerpt(comment["body"], terms) if comment else None
        result["comment_excerpt"] = found[1] if found else None
    return results


class SearchService:
    def __init__(self, storage, cache, per_page: int, settings, clock):
        self.storage = storage
        self.cache = cache
        self.per_page = per_page
        self.per_network = settings.search_rate_limit
        self.clock = clock

    async def search(self, query: str, page: int, per_page: int | None = None, client_ip: str = "") -> dict | None:
        """One page of results as {results, has_next, total}, each with its card and excerpts; None for no query.

        Raises RateLimited when `client_ip`'s network asked for too many searches not already answered."""
        if len(query.strip()) > MAX_QUERY:
            raise InvalidQuery(f"The search is too long: at most {MAX_QUERY} characters.")
        query, terms = normalise_query(query), query_terms(query)
        if not query:
            return None
        if not terms:  # only words to leave out: MongoDB matches nothing
            return {"results": [], "has_next": False, "total": 0}
        # $text is cheap on MongoDB (an index) but a full scan on the embedded server: a
        # popular query is answered once per few seconds, and concurrent ones share one run.
        per_page = per_page or self.per_page
        key, version = ("search", query, page, per_page), self.storage.gists.writes
        if not self.cache.holds(key, version):   # an answer in memory costs nothing: only new searches count
            await enforce(self.storage.rate_limits, f"search:{client_network(client_ip)}", self.per_network,
                          SEARCH_WINDOW_SECONDS, self.clock(),
                          f"Your network has made many new searches this minute (at most {self.per_network}); "
                          "searches already made stay available. Please wait a minute and try again.")
        return await self.cache.get(key, lambda: self._search(query, terms, page, per_page), version)

    async def _search(self, query: str, terms: list[str], page: int, per_page: int) -> dict:
        try:
            ranked = rank(await self.storage.gists.search(query, CANDIDATES),
                          await self.storage.comments.search(query, CANDIDATES))
        except OperationFailure:
            raise InvalidQuery("This search could not be understood; try plain words.") from None
        start = (page - 1) * per_page
        shown = ranked[start:start + per_page]
        cards = {card["gist_id"]: card for card in await self.storage.gists.cards([r["gist_id"] for r in shown])}
        shown = [{**result, "gist": cards[result["gist_id"]]} for result in shown if result["gist_id"] in cards]
        files = await self.storage.gists.files_of(list(cards))
        loop = asyncio.get_running_loop()
        shown = await loop.run_in_executor(None, excerpts, shown, files, terms)
        return {"results": shown, "has_next": len(ranked) > start + per_page, "total": len(ranked)}
