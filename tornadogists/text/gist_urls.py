"""Turn what someone pastes into the submit form into a GitHub gist id (and revision, if it names one)."""

import re
import urllib.parse

__all__ = ["InvalidGistURL", "parse_gist_url", "parse_gist_ref", "GIST_ID_PATTERN"]

# GitHub's gist ids: 20-32 lower-case hex characters, or digits for old gists.
GIST_ID_PATTERN = r"(?:[0-9a-f]{20,32}|[0-9]{1,12})"

_GIST_ID = re.compile(GIST_ID_PATTERN)
_SHA = r"[0-9a-f]{40}"
# GitHub logins are alphanumerics and single hyphens, 1-39 characters, no hyphen at either end.
_OWNER = r"(?=[A-Za-z0-9-]{1,39}/)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/"
# A raw file's name as it appears in its URL: one path segment, never "." or "..".
_RAW = rf"/raw(?:/(?P<raw_sha>{_SHA}))?(?:/(?!\.\.?/?$)[^/]+)?"

# Matched against "host/path" of an http(s) URL.
_GIST_PATH = re.compile(
    rf"""
    gist\.github\.com/
        (?:{_OWNER})?
        (?P<page_id>{GIST_ID_PATTERN})
        (?:/(?P<page_sha>{_SHA})|\.git|\.js|/revisions|{_RAW})?
        /?
    |
    gist\.githubusercontent\.com/{_OWNER}(?P<content_id>{GIST_ID_PATTERN}){_RAW.replace("raw_sha", "content_sha")}/?
    |
    api\.github\.com/gists/(?P<api_id>{GIST_ID_PATTERN})/?
    """,
    re.VERBOSE,
)
_SSH = re.compile(rf"git@gist\.github\.com:(?P<id>{GIST_ID_PATTERN})\.git")
# The embed code gist.github.com gives: <script src="https://gist.github.com/{user}/{id}.js"></script>
_EMBED = re.compile(r"""<script\s+src=(["']?)(?P<src>[^"'\s<>]+)\1\s*>\s*</script>""", re.IGNORECASE)

_HOSTS = {"gist.github.com", "gist.githubusercontent.com", "api.github.com"}
EXAMPLE = "https://gist.github.com/octocat/aa5a315d61ae9438b18d"


class InvalidGistURL(ValueError):
    """What was pasted is not a gist URL or id we understand; str() says why."""

    def __init__(self, reason: str = "", text: str = ""):
        super().__init__(f"{reason or 'That is not a gist URL or id.'} Paste a gist URL such as {EXAMPLE} or just its id.")
        self.text = text


def parse_gist_url(text: str) -> str:
    """Return the gist id named by a bare id or a gist URL."""
    return parse_gist_ref(text)[0]


def parse_gist_ref(text: str) -> tuple[str, str | None]:
    """(gist id, revision sha or None) named by an id, a gist page, raw, API, clone or embed URL,
    or the whole `<script>` embed snippet."""
    text = (text or "").strip()
    if not text:
        raise InvalidGistURL("Nothing was pasted.", text)
    embed = _EMBED.fullmatch(text)
    url = embed["src"] if embed else text
    # urlsplit silently drops tabs and newlines inside a URL; we refuse them.
    if any(char.isspace() for char in url):
        raise InvalidGistURL("It has a space or line break inside it.", text)
    if _GIST_ID.fullmatch(url):
        return url, None
    if ssh := _SSH.fullmatch(url):
        return ssh["id"], None
    if url.lower().startswith(tuple(host + "/" for host in _HOSTS)):
        url = "https://" + url   # pasted without its scheme
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # "http://[gist.github.com", a full-width "＃" in the host...
        raise InvalidGistURL("It is not a well-formed URL.", text) from None
    host = parts.netloc.lower()  # host names are case-insensitive, paths are not
    if parts.scheme not in ("http", "https"):
        raise InvalidGistURL("Only https:// (or http://) links to GitHub's gists can be read.", text)
    if host not in _HOSTS:
        raise InvalidGistURL(f"It links to {parts.netloc or 'no host'}, not to gist.github.com.", text)
    if parts.query:
        raise InvalidGistURL("A gist URL has no query string (the part after ?).", text)
    match = _GIST_PATH.fullmatch(host + parts.path)
    if match is None:
        raise InvalidGistURL(f"The path {parts.path or '/'} names no gist on {host}.", text)
    if parts.fragment and not (match["page_id"] and parts.fragment.startswith("file-")):
        raise InvalidGistURL("Only a gist page's #file-… anchor can follow its URL.", text)
    sha = match["page_sha"] or match["raw_sha"] or match["content_sha"]
    return match["page_id"] or match["content_id"] or match["api_id"], sha
