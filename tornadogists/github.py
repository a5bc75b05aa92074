"""GitHub's REST API: the only module that knows GitHub's URLs."""

import dataclasses
import datetime
import json
import logging
import math
import re
import time
import urllib.parse
from collections.abc import Callable

from tornado.auth import OAuth2Mixin
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.httputil import HTTPInputError

from tornadogists.text.urls import url_host

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
USER_AGENT = "TornadoGists"
RAW_HOST = "gist.githubusercontent.com"
# Where GitHub's own pages and pictures live: github.com, gist.github.com, avatars.githubusercontent.com...
WEB_DOMAINS = ("github.com", "githubusercontent.com")
CONNECT_TIMEOUT = 5
REQUEST_TIMEOUT = 15
# GitHub's advice when a rate-limit answer names no reset time: wait at least a minute.
FALLBACK_WAIT_SECONDS = 60
# GitHub's limits reset within the hour; a wilder header must not block us for longer.
MAX_WAIT_SECONDS = 3600

_GIST_ID = re.compile(r"[0-9a-f]{20,32}|[0-9]+")
_SHA = re.compile(r"[0-9a-f]{40}")
# A gist's comments: 100 a page (GitHub's most), and at most this many pages a refresh.
COMMENTS_PER_PAGE = 100
MAX_COMMENT_PAGES = 30
# GitHub allows 65,536 characters in a comment; anything longer is not GitHub's.
MAX_COMMENT_BODY = 65_536


class GitHubError(Exception):
    """GitHub could not give us the gist; `user_message` says why, `status` is our answer."""

    status = 502
    user_message = "GitHub is unreachable right now, try again later."

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.user_message)


class GistNotFound(GitHubError):
    status = 404
    user_message = "No such public gist on GitHub."


class RateLimited(GitHubError):
    status = 429

    def __init__(self, reset_at: datetime.datetime):
        self.reset_at = reset_at
        self.user_message = (
            f"GitHub's rate limit is reached, try again after {reset_at:%H:%M} UTC."
        )
        super().__init__(f"rate limited until {reset_at.isoformat()}")


class GitHubUnreachable(GitHubError):
    status = 502
    user_message = "GitHub is unreachable right now, try again later."


class GitHubSignInRefused(GitHubError):
    """GitHub would not exchange the code: used, expired or never issued."""

    status = 400
    user_message = "GitHub did not accept this sign-in (it expired or was already used). Please try again."


@dataclasses.dataclass
class GistResponse:
    data: dict
    etag: str | None


@dataclasses.dataclass
class CommentsResponse:
    comments: list[dict]        # _parse_comments' shape, oldest first
    etags: list[str | None]     # one per page
    complete: bool              # False: more pages than MAX_COMMENT_PAGES


@dataclasses.dataclass(frozen=True)
class RateLimit:
    """GitHub's X-RateLimit-* headers: the calls allowed an hour, those left, when the count resets."""

    limit: int
    remaining: int
    reset: float     # epoch seconds
    seen_at: float   # epoch seconds


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
        return await self._fetch_gist_json(f"/gists/{_checked_id(gist_id)}", etag)

    async def fetch_revision(self, gist_id: str, sha: str) -> GistResponse:
        """The gist as it was at revision `sha`; a revision never changes, so nothing to revalidate."""
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            raise GistNotFound(f"not a revision: {sha!r}")
        return await self._fetch_gist_json(f"/gists/{_checked_id(gist_id)}/{sha}")

    async def _fetch_gist_json(self, path: str, etag: str | None = None) -> GistResponse | None:
        response = await self._api(self.api_url + path, etag)
        if response.code == 304:
            return None
        self._raise_for_status(response)
        data = _parse_gist(response.body)
        _keep_github_urls(data, self.api_url)
        await self._complete_files(data["files"])
        return GistResponse(data=data, etag=response.headers.get("ETag"))

    async def fetch_comments(self, gist_id: str, etags: list = (), at_most: int = 3000) -> CommentsResponse | None:
        """A gist's comments, oldest first, the pages holding the first `at_most`; None when every
        page is unchanged since `etags`.

        ETags are per page: a new comment on page 2 leaves page 1's ETag as it was, so each
        page is asked again with its own, and a page that did not change beside one that
        did is read again in full.
        """
        _checked_id(gist_id)
        pages, more = [], True
        last_page = min(MAX_COMMENT_PAGES, -(-at_most // COMMENTS_PER_PAGE))
        while more and len(pages) < last_page:
            known = etags[len(pages)] if len(pages) < len(etags) else None
            page, etag, more = await self._comments_page(gist_id, len(pages) + 1, known)
            # A 304 has no Link header: there is another page if there was one last time.
            pages.append((page, etag or known))
            more = more if page is not None else len(pages) < len(etags)
        if len(pages) == len(etags) and all(page is None for page, _ in pages):
            return None
        for number, (page, etag) in enumerate(pages, start=1):
            if page is None:
                pages[number - 1] = (await self._comments_page(gist_id, number))[:2]
        return CommentsResponse([c for page, _ in pages for c in page], [etag for _, etag in pages], not more)

    async def _comments_page(self, gist_id: str, number: int, etag: str | None = None):
        """(comments or None when unchanged, ETag, whether a next page exists)."""
        url = f"{self.api_url}/gists/{gist_id}/comments?per_page={COMMENTS_PER_PAGE}&page={number}"
        response = await self._api(url, etag)
        if response.code == 304:
            return None, response.headers.get("ETag"), False
        self._raise_for_status(response)
        comments = _parse_comments(response.body, self.api_url)
        return comments, response.headers.get("ETag"), _has_next(response.headers.get("Link", ""))

    async def _api(self, url: str, etag: str | None = None) -> HTTPResponse:
        self._check_rate_limit()
        response = await _get(url, self._api_headers(etag))
        self._note_rate_limit(response)
        return response

    def _note_rate_limit(self, response: HTTPResponse) -> None:
        """Keep what GitHub says of the allowance left (every answer says it, a 304 too)."""
        headers = response.headers
        if headers.get("X-RateLimit-Resource", "core") != "core":
            return
        try:
            limit, remaining = int(headers["X-RateLimit-Limit"]), int(headers["X-RateLimit-Remaining"])
            reset = float(headers["X-RateLimit-Reset"])
        except (KeyError, ValueError):
            return
        if 0 < limit and 0 <= remaining <= limit and math.isfinite(reset):
            self.rate_limit = RateLimit(limit, remaining, reset, self._clock())

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
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": self.user_agent,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if etag:
            headers["If-None-Match"] = etag
        return headers

    def _check_rate_limit(self) -> None:
        # GitHub may ban clients that keep calling while limited, so we don't ask.
        if self._clock() < self._blocked_until:
            raise RateLimited(_utc(self._blocked_until))

    def _raise_for_status(self, response: HTTPResponse) -> None:
        if response.code == 200:
            return
        if response.code == 404:
            raise GistNotFound(f"GET {response.effective_url}: 404")
        if response.code in (403, 429):
            reset = _rate_limit_reset(response, self._clock())
            if reset is not None:
                self._blocked_until = reset
                raise RateLimited(_utc(reset))
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
        if not isinstance(url, str) or not self._raw_url_allowed(url):
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

    def _raw_url_allowed(self, url: str) -> bool:
        parts = _split(url)
        if parts is None:
            return False
        if parts.scheme == "https" and parts.hostname == RAW_HOST and parts.port is None:
            return True
        return _on_host_of(parts, self.api_url)

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
            response = await _get(url, headers, streaming_callback=on_chunk, follow_redirects=False)
        except GitHubUnreachable:
            if received > self.max_file_bytes:
                return None
            raise
        if response.code != 200:
            log.warning("GitHub answered %s for %s", response.code, url)
            raise GitHubUnreachable(f"GET {url}: {response.code}")
        return None if received > self.max_file_bytes else b"".join(chunks)


class GitHubOAuth2Mixin(OAuth2Mixin):
    """GitHub authentication using OAuth2, shaped like `tornado.auth.GoogleOAuth2Mixin`.

    Register an OAuth app on GitHub and give the application the setting
    ``{"github_oauth": {"key": CLIENT_ID, "secret": CLIENT_SECRET,
    "oauth_url": "https://github.com", "api_url": "https://api.github.com"}}``.
    """

    _OAUTH_AUTHORIZE_PATH = "/login/oauth/authorize"
    _OAUTH_ACCESS_TOKEN_PATH = "/login/oauth/access_token"
    _OAUTH_NO_CALLBACKS = False
    _OAUTH_SETTINGS_KEY = "github_oauth"
    OAUTH_SCOPE = ["read:user", "user:email"]

    def get_github_oauth_settings(self) -> dict[str, str]:
        """The credentials and base URLs; override to provide them differently."""
        return self.settings[self._OAUTH_SETTINGS_KEY]

    @property
    def _OAUTH_AUTHORIZE_URL(self) -> str:
        return self.get_github_oauth_settings()["oauth_url"].rstrip("/") + self._OAUTH_AUTHORIZE_PATH

    @property
    def _OAUTH_ACCESS_TOKEN_URL(self) -> str:
        return self.get_github_oauth_settings()["oauth_url"].rstrip("/") + self._OAUTH_ACCESS_TOKEN_PATH

    async def get_authenticated_user(
        self, redirect_uri: str, code: str, client_id: str | None = None, client_secret: str | None = None
    ) -> dict:
        """Exchange `code` for a token, read whose it is, and let the token go.

        Returns {"id", "login", "name", "avatar_url", "html_url", "email"}, "email" being the
        verified primary address or None. Raises GitHubSignInRefused for a used or unknown
        code, GitHubUnreachable when GitHub fails or answers something else than expected.
        """
        settings = self.get_github_oauth_settings()
        token = await self._github_access_token(
            redirect_uri, code, client_id or settings["key"], client_secret or settings["secret"]
        )
        user = await self._github_api("/user", token)
        emails = await self._github_api("/user/emails", token)
        return _github_person(user, emails, settings["api_url"])

    async def _github_access_token(self, redirect_uri: str, code: str, client_id: str, secret: str) -> str:
        body = urllib.parse.urlencode(
            {"client_id": client_id, "client_secret": secret, "code": code, "redirect_uri": redirect_uri})
        # Without Accept: application/json GitHub answers form-encoded.
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT,
                   "Content-Type": "application/x-www-form-urlencoded"}
        answer = _json_answer(await _get(self._OAUTH_ACCESS_TOKEN_URL, headers, method="POST", body=body))
        if not isinstance(answer, dict):
            raise GitHubUnreachable("GitHub sent a token answer that is not an object")
        if answer.get("error") == "bad_verification_code":
            raise GitHubSignInRefused("bad_verification_code")
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            # incorrect_client_credentials, redirect_uri_mismatch...: our set-up, not the person.
            log.warning("GitHub refused the token exchange: %s", answer.get("error") or "no access_token")
            raise GitHubUnreachable(f"token exchange: {answer.get('error')}")
        return token

    async def _github_api(self, path: str, token: str):
        url = self.get_github_oauth_settings()["api_url"].rstrip("/") + path
        headers = {
            "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT, "Authorization": f"Bearer {token}",  # never in the URL
        }
        return _json_answer(await _get(url, headers))


def _json_answer(response: HTTPResponse):
    if response.code != 200:
        log.warning("GitHub answered %s for %s", response.code, response.effective_url)
        raise GitHubUnreachable(f"{response.effective_url}: {response.code}")
    try:
        return json.loads(response.body or b"")
    except ValueError as error:
        raise GitHubUnreachable("GitHub sent invalid JSON") from error


def _github_person(user, emails, api_url: str) -> dict:
    """What we keep of GitHub's /user and /user/emails answers."""
    login = user.get("login") if isinstance(user, dict) else None
    # type() rather than isinstance(): JSON's true is no user id.
    if not (login and isinstance(login, str) and type(user.get("id")) is int):
        raise GitHubUnreachable("GitHub sent JSON that is not a user")
    if not isinstance(emails, list):
        raise GitHubUnreachable("GitHub sent JSON that is not a list of e-mail addresses")
    primary = next((e.get("email") for e in emails
                    if isinstance(e, dict) and e.get("primary") is True and e.get("verified") is True), None)
    name = user.get("name")
    return {
        "id": user["id"], "login": login, "name": name if isinstance(name, str) else "",
        "avatar_url": github_web_url(user.get("avatar_url"), api_url),
        "html_url": github_web_url(user.get("html_url"), api_url),
        "email": primary if isinstance(primary, str) else None,
    }


def github_web_url(value, api_url: str) -> str | None:
    """`value` if it is an https URL on GitHub (or on `api_url`'s host, a stand-in's), else None.

    Whatever GitHub's answer names ends up in an href or src: a `javascript:` URL, or a
    page elsewhere, must never get there.
    """
    if not isinstance(value, str) or any(ord(char) <= 0x20 or char == "\x7f" for char in value):
        return None
    parts = _split(value)
    if parts is None:
        return None
    host = parts.hostname or ""
    on_github = host in WEB_DOMAINS or host.endswith(tuple("." + domain for domain in WEB_DOMAINS))
    if parts.scheme == "https" and parts.port is None and on_github:
        return value
    return value if _on_host_of(parts, api_url) else None


def _keep_github_urls(data: dict, api_url: str) -> None:
    """The links of a gist's JSON that our pages show, each kept only if on GitHub."""
    data["html_url"] = github_web_url(data.get("html_url"), api_url)
    owner = data.get("owner")
    if isinstance(owner, dict):
        for key in ("html_url", "avatar_url"):
            owner[key] = github_web_url(owner.get(key), api_url)
    elif owner is not None:
        data["owner"] = None
    for file in data["files"].values():
        file["raw_url"] = github_web_url(file.get("raw_url"), api_url)


def _split(url: str) -> urllib.parse.SplitResult | None:
    """urlsplit, None for what it cannot split or where a browser would go to another host
    (`https://evil.example\\@github.com/`); .port is read here as it raises too."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - "https://x:99999/" raises only when the port is read
    except ValueError:
        return None
    return parts if url_host(url).strip("[]") == (parts.hostname or "") else None


def _on_host_of(parts: urllib.parse.SplitResult, api_url: str) -> bool:
    """Same scheme and host[:port] as the configured API (GitHub's, or a test's fake)."""
    api = urllib.parse.urlsplit(api_url)
    return (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


async def _get(url: str, headers: dict, **options) -> HTTPResponse:
    request = HTTPRequest(
        url,
        headers=headers,
        connect_timeout=CONNECT_TIMEOUT,
        request_timeout=REQUEST_TIMEOUT,
        **options,
    )
    try:
        # raise_error=False still raises for timeouts (599) and connection errors.
        return await AsyncHTTPClient().fetch(request, raise_error=False)
    except (HTTPClientError, HTTPInputError, OSError) as error:
        log.warning("GitHub unreachable: %s %s: %s", request.method, url, error)
        raise GitHubUnreachable(f"{request.method} {url}: {error}") from error


def _checked_id(gist_id: str) -> str:
    if not isinstance(gist_id, str) or not _GIST_ID.fullmatch(gist_id):
        # Never let a malformed id shape the request path.
        raise GistNotFound(f"not a gist id: {gist_id!r}")
    return gist_id


def _has_next(link: str) -> bool:
    """Whether GitHub's Link header names a next page (its URL is never followed: we build our own)."""
    return any(re.search(r';\s*rel="?next"?', part) for part in link.split(","))


def _parse_comments(body: bytes | None, api_url: str) -> list[dict]:
    """GitHub's comments JSON -> {id, body, login, avatar_url, profile_url, created_at, updated_at};
    an item that is not a comment is left out, a URL off GitHub becomes None."""
    try:
        data = json.loads(body or b"")
    except ValueError as error:
        raise GitHubUnreachable("GitHub sent invalid JSON") from error
    if not isinstance(data, list):
        raise GitHubUnreachable("GitHub sent JSON that is not a list of comments")
    return [comment for comment in (_comment(item, api_url) for item in data) if comment is not None]


def _comment(item, api_url: str) -> dict | None:
    user = item.get("user") if isinstance(item, dict) else None
    login = user.get("login") if isinstance(user, dict) else None
    # type() rather than isinstance(): JSON's true is no comment id.
    if not (login and isinstance(login, str) and type(item.get("id")) is int
            and isinstance(item.get("body"), str) and isinstance(item.get("created_at"), str)):
        return None
    updated = item.get("updated_at")
    return {
        "id": item["id"], "body": item["body"][:MAX_COMMENT_BODY], "login": login[:100],
        "avatar_url": github_web_url(user.get("avatar_url"), api_url),
        "profile_url": github_web_url(user.get("html_url"), api_url),
        "created_at": item["created_at"], "updated_at": updated if isinstance(updated, str) else item["created_at"],
    }


def _parse_gist(body: bytes | None) -> dict:
    try:
        data = json.loads(body or b"")
    except ValueError as error:
        raise GitHubUnreachable("GitHub sent invalid JSON") from error
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(f, dict) for f in files.values()):
        raise GitHubUnreachable("GitHub sent JSON that is not a gist")
    return _typed_gist(data)


# A field of GitHub's answer that is not of its type is taken as absent: a number as the
# description made the gist page and its feeds a 500 (issue 22).
_GIST_TYPES = {"description": str, "public": bool}
_FILE_TYPES = {"language": str, "content": str, "type": str, "encoding": str, "size": int, "truncated": bool}


def _typed_gist(data: dict) -> dict:
    """`data` with every field we read of the type GitHub documents, or absent (the file name: its key)."""
    _drop_mistyped(data, _GIST_TYPES)
    owner = data.get("owner")
    if not (isinstance(owner, dict) and isinstance(owner.get("login"), str) and owner["login"]):
        data.pop("owner", None)
    for name, file in data["files"].items():
        _drop_mistyped(file, _FILE_TYPES)
        if not isinstance(file.get("filename"), str) or not file["filename"]:
            file["filename"] = name
    return data


def _drop_mistyped(fields: dict, types: dict) -> None:
    for key, kind in types.items():
        # type() rather than isinstance(): JSON's true is no size.
        if key in fields and fields[key] is not None and type(fields[key]) is not kind:
            del fields[key]


def _rate_limit_reset(response: HTTPResponse, now: float) -> float | None:
    """Epoch seconds when a 403/429 rate limit ends, or None if it is no rate limit."""
    headers = response.headers
    resets = []
    if "Retry-After" in headers:
        resets.append(now + _seconds(headers["Retry-After"], FALLBACK_WAIT_SECONDS))
    if headers.get("X-RateLimit-Remaining", "").strip() == "0":
        resets.append(_seconds(headers.get("X-RateLimit-Reset", ""), now + FALLBACK_WAIT_SECONDS))
    if not resets and (response.code == 429 or b"rate limit" in (response.body or b"").lower()):
        # A secondary rate limit may come with neither header, only a message.
        resets.append(now + FALLBACK_WAIT_SECONDS)
    return min(max(resets), now + MAX_WAIT_SECONDS) if resets else None


def _seconds(value: str, default: float) -> float:
    try:
        seconds = float(value)
    except ValueError:
        return default
    return seconds if math.isfinite(seconds) and seconds >= 0 else default


def _utc(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC)
