"""Which URLs we build for GitHub and which of the URLs its answers name we let through."""

import re
import urllib.parse

from tornadogists.github.errors import GistNotFound
from tornadogists.text.urls import url_host

RAW_HOST = "gist.githubusercontent.com"
# Where GitHub's own pages and pictures live: github.com, gist.github.com, avatars.githubusercontent.com...
WEB_DOMAINS = ("github.com", "githubusercontent.com")

GIST_ID = re.compile(r"[0-9a-f]{20,32}|[0-9]+")
_SHA = re.compile(r"[0-9a-f]{40}")
# GitHub's logins: letters, digits and inner single hyphens, at most 39 characters.
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")


def github_web_url(value, api_url: str) -> str | None:
    """`value` if it is an https URL on GitHub (or on `api_url`'s host, a stand-in's), else None.

    Whatever GitHub's answer names ends up in an href or src: a `javascript:` URL, or a
    page elsewhere, must never get there.
    """
    if not isinstance(value, str) or any(ord(char) <= 0x20 or char == "\x7f" for char in value):
        return None
    parts = split(value)
    if parts is None:
        return None
    host = parts.hostname or ""
    on_github = host in WEB_DOMAINS or host.endswith(tuple("." + domain for domain in WEB_DOMAINS))
    if parts.scheme == "https" and parts.port is None and on_github:
        return value
    return value if on_host_of(parts, api_url) else None


def raw_url_allowed(url: str, api_url: str) -> bool:
    """Whether a truncated file's raw_url may be fetched: GitHub's raw host, or the API's own."""
    parts = split(url)
    if parts is None:
        return False
    if parts.scheme == "https" and parts.hostname == RAW_HOST and parts.port is None:
        return True
    return on_host_of(parts, api_url)


def keep_github_urls(data: dict, api_url: str) -> None:
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


def split(url: str) -> urllib.parse.SplitResult | None:
    """urlsplit, None for what it cannot split or where a browser would go to another host
    (`https://evil.example\\@github.com/`); .port is read here as it raises too."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - "https://x:99999/" raises only when the port is read
    except ValueError:
        return None
    return parts if url_host(url).strip("[]") == (parts.hostname or "") else None


def on_host_of(parts: urllib.parse.SplitResult, api_url: str) -> bool:
    """Same scheme and host[:port] as the configured API (GitHub's, or a test's fake)."""
    api = urllib.parse.urlsplit(api_url)
    return (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def checked_id(gist_id: str) -> str:
    if not isinstance(gist_id, str) or not GIST_ID.fullmatch(gist_id):
        # Never let a malformed id shape the request path.
        raise GistNotFound(f"not a gist id: {gist_id!r}")
    return gist_id


def checked_sha(sha: str) -> str:
    if not isinstance(sha, str) or not _SHA.fullmatch(sha):
        raise GistNotFound(f"not a revision: {sha!r}")
    return sha


def checked_login(login: str) -> str:
    if not isinstance(login, str) or not _LOGIN.fullmatch(login):
        raise GistNotFound(f"not a GitHub login: {login!r}")
    return login
