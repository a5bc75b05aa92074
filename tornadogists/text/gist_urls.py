"""Turn what someone pastes into the submit form into a GitHub gist id."""

import re
import urllib.parse

__all__ = ["InvalidGistURL", "parse_gist_url", "GIST_ID_PATTERN"]

# GitHub's gist ids: 20-32 lower-case hex characters, or digits for old gists.
GIST_ID_PATTERN = r"(?:[0-9a-f]{20,32}|[0-9]{1,12})"

_GIST_ID = re.compile(GIST_ID_PATTERN)

# Matched against "host/path" of an http(s) URL. GitHub logins are
# alphanumerics and single hyphens, 1-39 characters, no hyphen at either end.
_GIST_PATH = re.compile(
    rf"""
    gist\.github\.com/
        (?:(?=[A-Za-z0-9-]{{1,39}}/)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/)?   # owner
        (?P<page_id>{GIST_ID_PATTERN})
        (?:/[0-9a-f]{{40}}|\.git)?                                       # revision
        /?
    |
    api\.github\.com/gists/(?P<api_id>{GIST_ID_PATTERN})/?
    """,
    re.VERBOSE,
)

_HOSTS = {"gist.github.com", "api.github.com"}


class InvalidGistURL(ValueError):
    """What was pasted is not a gist URL or id we understand."""

    def __init__(self, text: str = ""):
        super().__init__(
            "Paste a gist URL such as "
            "https://gist.github.com/octocat/aa5a315d61ae9438b18d or just its id."
        )
        self.text = text


def parse_gist_url(text: str) -> str:
    """Return the gist id named by a bare id or a gist.github.com / API URL."""
    text = (text or "").strip()
    # urlsplit silently drops tabs and newlines inside a URL; we refuse them.
    if not text or any(char.isspace() for char in text):
        raise InvalidGistURL(text)
    if _GIST_ID.fullmatch(text):
        return text
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:  # "http://[gist.github.com", a full-width "＃" in the host...
        raise InvalidGistURL(text) from None
    host = parts.netloc.lower()  # host names are case-insensitive, paths are not
    if parts.scheme not in ("http", "https") or host not in _HOSTS or parts.query:
        raise InvalidGistURL(text)
    match = _GIST_PATH.fullmatch(host + parts.path)
    if match is None or not _fragment_ok(match, parts.fragment):
        raise InvalidGistURL(text)
    return match["page_id"] or match["api_id"]


def _fragment_ok(match: re.Match, fragment: str) -> bool:
    """Only a gist page may carry a fragment, and only a `#file-...` one."""
    if not fragment:
        return True
    return bool(match["page_id"]) and fragment.startswith("file-")
