"""The host a link goes to, as a browser resolves it: the one host check of the ban list, the spam score and GitHub's links. Pure.

urlsplit() reads `https://evil.example\\@github.com/` as github.com and `//spam.example/`,
`https:/spam.example` or `https://spam%2eexample` as no host or another one; a browser (the
WHATWG URL standard) goes to evil.example and spam.example. So hosts are read here the
browser's way: backslashes are slashes in http(s) URLs, any number of slashes (even none)
may follow the scheme, `//host` takes the page's scheme, userinfo and port are dropped, the
host is percent-decoded and mapped the IDNA way (case, full-width letters, 。．｡ as dots)
and loses a trailing dot.
"""

import re
import unicodedata
import urllib.parse

SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED = re.compile(r"[\t\n\r]")        # a browser removes these anywhere in a URL
_AUTHORITY_END = re.compile(r"[/\\?#]")
_DOTS = re.compile("[\u3002\uff0e\uff61]")  # UTS-46 maps these to "."


def url_host(url: str, bare_www: bool = False) -> str:
    """The lower-case ASCII host `url` takes a browser to; "" for a link on the same site or with no host.

    bare_www: "www.spam.example/x" counts as a link to that host, as the spam rules read text.
    """
    url = _IGNORED.sub("", url or "").strip("\x00- ")
    match = _SCHEME.match(url)
    if match and match[1].lower() in SPECIAL_SCHEMES:
        rest = url[match.end():].lstrip("/\\")
    elif match:
        return ""                                # mailto:, javascript:... name no web host
    elif url[:2].replace("\\", "/") == "//":
        rest = url[2:]
    elif bare_www and url[:4].lower() == "www.":
        rest = url
    else:
        return ""                                # a path on this site
    return normal_host(_AUTHORITY_END.split(rest, maxsplit=1)[0].rpartition("@")[2])


def normal_host(host_port: str) -> str:
    """`host[:port]` as a browser compares it: percent-decoded, IDNA-mapped, no port, no trailing dot."""
    host = urllib.parse.unquote(host_port)
    host = host.partition("]")[0] + "]" if host.startswith("[") else host.partition(":")[0]
    host = _DOTS.sub(".", unicodedata.normalize("NFKC", host)).lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:                         # not a valid IDN: compared as written, lower case
        return host


def browser_link(url: str) -> str:
    """`url` spelled as a browser reads it, for an href or src: "//host/x" and "https:/host\\x"
    become "https://host/x", so a reader sees where the link goes. Other links are kept as written."""
    cleaned = _IGNORED.sub("", url or "").strip("\x00- ")
    match = _SCHEME.match(cleaned)
    if match and match[1].lower() in SPECIAL_SCHEMES:
        scheme, rest = match[1].lower(), cleaned[match.end():]
    elif not match and cleaned[:2].replace("\\", "/") == "//":
        scheme, rest = "https", cleaned             # the page's scheme, and ours is https
    else:
        return url
    end = re.search(r"[?#]|$", rest).start()        # backslashes are slashes up to the query
    return f"{scheme}://{rest[:end].replace(chr(92), '/').lstrip('/')}{rest[end:]}"
