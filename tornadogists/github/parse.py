"""GitHub's answers read defensively: JSON of the documented shape and types, rate-limit headers."""

import dataclasses
import datetime
import json
import logging
import math
import re

from tornado.httpclient import HTTPResponse

from tornadogists.github.errors import GitHubUnreachable
from tornadogists.github.urls import GIST_ID, github_web_url

log = logging.getLogger("tornadogists.github")

# GitHub allows 65,536 characters in a comment; anything longer is not GitHub's.
MAX_COMMENT_BODY = 65_536
# GitHub's advice when a rate-limit answer names no reset time: wait at least a minute.
FALLBACK_WAIT_SECONDS = 60
# GitHub's limits reset within the hour; a wilder header must not block us for longer.
MAX_WAIT_SECONDS = 3600


@dataclasses.dataclass(frozen=True)
class RateLimit:
    """GitHub's X-RateLimit-* headers: the calls allowed an hour, those left, when the count resets."""

    limit: int
    remaining: int
    reset: float     # epoch seconds
    seen_at: float   # epoch seconds


def rate_limit(headers, now: float) -> RateLimit | None:
    """What an answer says of the core allowance left (every answer says it, a 304 too), if it does."""
    if headers.get("X-RateLimit-Resource", "core") != "core":
        return None
    try:
        limit, remaining = int(headers["X-RateLimit-Limit"]), int(headers["X-RateLimit-Remaining"])
        reset = float(headers["X-RateLimit-Reset"])
    except (KeyError, ValueError):
        return None
    if 0 < limit and 0 <= remaining <= limit and math.isfinite(reset):
        return RateLimit(limit, remaining, reset, now)
    return None


def rate_limit_reset(response: HTTPResponse, now: float) -> float | None:
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


def utc(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC)


def has_next(link: str) -> bool:
    """Whether GitHub's Link header names a next page (its URL is never followed: we build our own)."""
    return any(re.search(r';\s*rel="?next"?', part) for part in link.split(","))


def loads(body: bytes | None):
    try:
        return json.loads(body or b"")
    except ValueError as error:
        raise GitHubUnreachable("GitHub sent invalid JSON") from error


def json_answer(response: HTTPResponse):
    if response.code != 200:
        log.warning("GitHub answered %s for %s", response.code, response.effective_url)
        raise GitHubUnreachable(f"{response.effective_url}: {response.code}")
    return loads(response.body)


def github_person(user, emails, api_url: str) -> dict:
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


def parse_comments(body: bytes | None, api_url: str) -> list[dict]:
    """GitHub's comments JSON -> {id, body, login, avatar_url, profile_url, created_at, updated_at};
    an item that is not a comment is left out, a URL off GitHub becomes None."""
    data = loads(body)
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


def parse_gist(body: bytes | None) -> dict:
    data = loads(body)
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


def parse_gist_list(body: bytes | None, api_url: str) -> list[dict]:
    """GitHub's list of gists -> {id, description, html_url, files (names), languages, created_at,
    updated_at, comments}, public gists only; an item that is not a gist is left out."""
    data = loads(body)
    if not isinstance(data, list):
        raise GitHubUnreachable("GitHub sent JSON that is not a list of gists")
    return [gist for gist in (_gist_summary(item, api_url) for item in data) if gist is not None]


def _gist_summary(item, api_url: str) -> dict | None:
    files = item.get("files") if isinstance(item, dict) else None
    gist_id = item.get("id") if isinstance(files, dict) else None
    if not (isinstance(gist_id, str) and GIST_ID.fullmatch(gist_id) and item.get("public") is True):
        return None
    files = {name: file for name, file in files.items() if isinstance(file, dict)}
    description = item.get("description")
    return {
        "id": gist_id, "description": description if isinstance(description, str) else "",
        "html_url": github_web_url(item.get("html_url"), api_url),
        "files": sorted(files), "languages": sorted({f["language"] for f in files.values()
                                                     if isinstance(f.get("language"), str)}),
        "created_at": _text(item.get("created_at")), "updated_at": _text(item.get("updated_at")),
        "comments": item["comments"] if type(item.get("comments")) is int else 0,
    }


def _text(value) -> str | None:
    return value if isinstance(value, str) else None
