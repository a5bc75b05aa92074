"""Handles: derived from an e-mail address or a GitHub login, URL-safe and unique."""

import re

MAX_LENGTH = 39
RESERVED = frozenset({
    "admin", "administrator", "account", "api", "auth", "feeds", "gists", "help", "login",
    "logout", "new", "root", "search", "settings", "static", "support", "system", "tags",
    "tornadogists", "users",
})


def handle_base(text: str) -> str:
    """`Jane.Doe+gists@x.org` -> `jane-doe-gists`; never empty, never reserved."""
    base = re.sub(r"[^a-z0-9]+", "-", text.split("@")[0].lower()).strip("-")[:MAX_LENGTH].strip("-")
    if not base or base in RESERVED:
        base = (base + "-user").lstrip("-") if base else "user"
    return base


def handle_candidates(text: str, tries: int = 50):
    """The base, then base-2, base-3, ... each within MAX_LENGTH."""
    base = handle_base(text)
    yield base
    for n in range(2, tries + 2):
        suffix = f"-{n}"
        yield base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
