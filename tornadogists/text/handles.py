"""Handles: derived from an e-mail address or a GitHub login, URL-safe and unique."""

import re
import secrets

MAX_LENGTH = 39
RESERVED = frozenset({
    "admin", "administrator", "account", "api", "auth", "avatars", "feeds", "gists", "github",
    "healthz", "help", "login", "logout", "new", "root", "search", "settings", "static", "support",
    "system", "tags", "tornadogists", "users",
})
# What a deleted account's gists and comments keep as their submitter or author (services/your_data.py).
GONE = {"id": None, "handle": "[deleted]"}
# Like GitHub's logins: letters, digits and hyphens, but no hyphen at either end.
HANDLE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def gone(person: dict) -> bool:
    """A submitter or author whose account was deleted: no page, no link."""
    return person.get("id", True) is None


class InvalidHandle(ValueError):
    """str() is the message for the form."""


def check_handle(text: str) -> str:
    """A handle someone typed, lower-cased; InvalidHandle says what is wrong with it."""
    handle = text.strip().lower()
    if not handle:
        raise InvalidHandle("Please choose a handle.")
    if len(handle) > MAX_LENGTH:
        raise InvalidHandle(f"A handle has at most {MAX_LENGTH} characters.")
    if not HANDLE.fullmatch(handle):
        raise InvalidHandle("A handle may use only letters a-z, digits and hyphens, "
                            "and starts and ends with a letter or digit.")
    if handle in RESERVED:
        raise InvalidHandle(f"'{handle}' is reserved; please choose another handle.")
    return handle


def handle_base(text: str) -> str:
    """`Jane.Doe+gists@x.org` -> `jane-doe-gists`; never empty, never reserved."""
    base = re.sub(r"[^a-z0-9]+", "-", text.split("@")[0].lower()).strip("-")[:MAX_LENGTH].strip("-")
    if not base or base in RESERVED:
        base = (base + "-user").lstrip("-") if base else "user"
    return base


def handle_candidates(text: str, tries: int = 50, random_tries: int = 10):
    """The base, then base-2 ... base-51, then base-<random>: each within MAX_LENGTH.

    Anyone can take the numbered ones (sign in as dora@, dora-2@, ...); a random suffix
    from 16 million cannot be taken in advance, so a first sign-in always finds a handle.
    """
    base = handle_base(text)
    yield base
    suffixes = [str(n) for n in range(2, tries + 2)]
    suffixes += [secrets.token_hex(3) for _ in range(random_tries)]
    for suffix in suffixes:
        yield base[: MAX_LENGTH - len(suffix) - 1].rstrip("-") + "-" + suffix
