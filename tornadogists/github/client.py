"""GitHubClient: public gists, their comments and revisions, asked politely within GitHub's allowance."""

import dataclasses
import functools
import logging
import time
from collections.abc import Callable

from tornado.httpclient import HTTPResponse

from tornadogists.github.errors import GistNotFound, GitHubError, GitHubUnreachable, RateLimited
from tornadogists.github.http import USER_AGENT, api_headers, get
from tornadogists.github.parse import (
    RateLimit, has_next, parse_comments, parse_gist, parse_gist_list, rate_limit, rate_limit_reset, utc,
)
from tornadogists.github.urls import checked_id, checked_login, checked_sha, keep_github_urls, raw_url_allowed

log = logging.getLogger("tornadogists.github")

# A list GitHub pages: 100 items a page (GitHub's most). A gist's comments: at most 30 pages
# a refresh; a person's gists: at most 10 pages (1,000 gists) a listing.
PER_PAGE = 100
MAX_COMMENT_PAGES = 30
MAX_GIST_PAGES = 10


@dataclasses.dataclass
class GistResponse:
    data: dict
    etag: str | None


@dataclasses.dataclass
class CommentsResponse:
    comments: list[dict]        # parse_comments' shape, oldest first
    etags: list[str | None]     # one per page
    complete: bool              # False: more pages than MAX_COMMENT_PAGES


@dataclasses.dataclass
class GistListResponse:
    gists: list[dict]           # parse_gist_list's shape, newest first
    etags: list[str | None]     # one per page
    complete: bool              # False: more pages than MAX_GIST_PAGES


class GitHubClient:
    """Fetch public gists, their truncated files and nothing else, politely."""

    def __init__(
        self,
        api_url: str,
        token: str = "",
        max_file_bytes: int = 1048576,
        user_agent: str = USER_AGENT,
        clock: Callable[[], float] = time.time,
    ):
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.max_file_bytes = max_file_bytes
        self.user_agent = user_agent
        self._clock = clock
        self._blocked_until = 0.0  # epoch seconds; no API call before this
        self.rate_limit: RateLimit | None = None   # from the latest API answer's headers

    async def fetch_gist(self, gist_id: str, etag: str | None = None) -> GistResponse | None:
        """GitHub's gist JSON with full file contents, or None when unchanged since `etag`."""
        return await self._fetch_gist_json(f"/gists/{checked_id(gist_id)}", etag)

    async def fetch_revision(self, gist_id: str, sha: str) -> GistResponse:
        """The gist as it was at revision `sha`; a revision never changes, so nothing to revalidate."""
        return await self._fetch_gist_json(f"/gists/{checked_id(gist_id)}/{checked_sha(sha)}")

    async def _fetch_gist_json(self, path: str, etag: str | None = None) -> GistResponse | None:
        response = await self._api(self.api_url + path, etag)
        if response.code == 304:
            return None
        self._raise_for_status(response)
        data = parse_gist(response.body)
        keep_github_urls(data, self.api_url)
        await self._complete_files(data["files"])
        return GistResponse(data=data, etag=response.headers.get("ETag"))

    async def fetch_comments(self, gist_id: str, etags: list = (), at_most: int = 3000) -> CommentsResponse | None:
        """A gist's comments, oldest first, the pages holding the first `at_most`; None when every
        page is unchanged since `etags`."""
        last_page = min(MAX_COMMENT_PAGES, -(-at_most // PER_PAGE))
        parse = functools.partial(parse_comments, api_url=self.api_url)
        pages = await self._pages(f"/gists/{checked_id(gist_id)}/comments", etags, last_page, parse)
        return None if pages is None else CommentsResponse(*pages)

    async def fetch_user_gists(self, login: str, etags: list = ()) -> GistListResponse | None:
        """A person's public gists as GitHub lists them (newest first, files without their
        contents); None when every page is unchanged since `etags`."""
        parse = functools.partial(parse_gist_list, api_url=self.api_url)
        pages = await self._pages(f"/users/{checked_login(login)}/gists", etags, MAX_GIST_PAGES, parse)
        return None if pages is None else GistListResponse(*pages)

    async def _pages(self, path: str, etags, last_page: int, parse) -> tuple | None:
        """(items, ETags, complete) of a list GitHub pages, pages 1 to at most `last_page`; None
        when every page is unchanged since `etags`.

        ETags are per page: a new item on page 2 leaves page 1's ETag as it was, so each
        page is asked again with its own, and a page that did not change beside one that
        did is read again in full.
        """
        pages, more = [], True
        while more and len(pages) < last_page:
            known = etags[len(pages)] if len(pages) < len(etags) else None
            page, etag, more = await self._page(path, len(pages) + 1, parse, known)
            # A 304 has no Link header: there is another page if there was one last time.
            pages.append((page, etag or known))
            more = more if page is not None else len(pages) < len(etags)
        if len(pages) == len(etags) and all(page is None for page, _ in pages):
            return None
        for number, (page, etag) in enumerate(pages, start=1):
            if page is None:
                pages[number - 1] = (await self._page(path, number, parse))[:2]
        return [item for page, _ in pages for item in page], [etag for _, etag in pages], not more

    async def _page(self, path: str, number: int, parse, etag: str | None = None):
        """(items or None when unchanged, ETag, whether a next page exists)."""
        response = await self._api(f"{self.api_url}{path}?per_page={PER_PAGE}&page={number}", etag)
        if response.code == 304:
            return None, response.headers.get("ETag"), False
        self._raise_for_status(response)
        return parse(response.body), response.headers.get("ETag"), has_next(response.headers.get("Link", ""))

    async def _api(self, url: str, etag: str | None = None) -> HTTPResponse:
        self._check_rate_limit()
        response = await get(url, self._api_headers(etag))
        self._note_rate_limit(response)
        return response

    def _note_rate_limit(self, response: HTTPResponse) -> None:
        self.rate_limit = rate_limit(response.headers, self._clock()) or self.rate_limit

    async def allowance(self, max_age: float = 300) -> RateLimit | None:
        """The calls left this hour: from a recent answer, else asked of GitHub (GET /rate_limit
        costs none of them). None when GitHub cannot be asked."""
        if self.rate_limit is None or self._clock() - self.rate_limit.seen_at > max_age:
            try:
                await self._api(f"{self.api_url}/rate_limit")
            except GitHubError:
                pass   # rate limited or unreachable: what we knew, if anything
        return self.rate_limit

    def _api_headers(self, etag: str | None) -> dict:
        return api_headers(self.token, etag, self.user_agent)

    def _check_rate_limit(self) -> None:
        # GitHub may ban clients that keep calling while limited, so we don't ask.
        if self._clock() < self._blocked_until:
            raise RateLimited(utc(self._blocked_until))

    def _raise_for_status(self, response: HTTPResponse) -> None:
        if response.code == 200:
            return
        if response.code == 404:
            raise GistNotFound(f"GET {response.effective_url}: 404")
        if response.code in (403, 429):
            reset = rate_limit_reset(response, self._clock())
            if reset is not None:
                self._blocked_until = reset
                raise RateLimited(utc(reset))
        log.warning("GitHub answered %s for %s", response.code, response.effective_url)
        raise GitHubUnreachable(f"GET {response.effective_url}: {response.code}")

    async def _complete_files(self, files: dict) -> None:
        for file in files.values():
            size = file.get("size")
            if isinstance(size, int) and size > self.max_file_bytes:
                file["too_large"] = True
            elif file.get("truncated"):
                await self._fill_truncated(file)

    async def _fill_truncated(self, file: dict) -> None:
        url = file.get("raw_url")
        if not isinstance(url, str) or not raw_url_allowed(url, self.api_url):
            # A raw_url elsewhere would make us fetch whatever the JSON points at.
            file["raw_refused"] = True
            return
        body = await self._fetch_raw(url)
        if body is None:
            file["too_large"] = True
            return
        file["content"] = body.decode("utf-8", errors="replace")
        file["truncated"] = False
        file["encoding"] = "utf-8"

    async def _fetch_raw(self, url: str) -> bytes | None:
        """The raw file's bytes, or None when it is longer than max_file_bytes."""
        chunks: list[bytes] = []
        received = 0

        def on_chunk(chunk: bytes) -> None:
            # Raising here would only be logged by Tornado and look like a dropped
            # connection, so keep nothing past the cap and let the body drain.
            nonlocal received
            received += len(chunk)
            if received <= self.max_file_bytes:
                chunks.append(chunk)

        headers = {"User-Agent": self.user_agent}
        try:
            # No redirects: the host check above must hold for the host we read.
            response = await get(url, headers, streaming_callback=on_chunk, follow_redirects=False)
        except GitHubUnreachable:
            if received > self.max_file_bytes:
                return None
            raise
        if response.code != 200:
            log.warning("GitHub answered %s for %s", response.code, url)
            raise GitHubUnreachable(f"GET {url}: {response.code}")
        return None if received > self.max_file_bytes else b"".join(chunks)
