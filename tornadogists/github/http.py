"""The one way we send a request to GitHub: its headers, timeouts, and failures as GitHubUnreachable."""

import logging

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.httputil import HTTPInputError

from tornadogists.github.errors import GitHubUnreachable

log = logging.getLogger("tornadogists.github")

API_VERSION = "2022-11-28"
USER_AGENT = "TornadoGists"
CONNECT_TIMEOUT = 5
REQUEST_TIMEOUT = 15


def api_headers(token: str = "", etag: str | None = None, user_agent: str = USER_AGENT) -> dict:
    """The headers GitHub's REST API asks for, with the token (never in the URL) and ETag if any."""
    headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": user_agent,
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-None-Match"] = etag
    return headers


async def get(url: str, headers: dict, **options) -> HTTPResponse:
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
