"""Scoring new comments and intros for spam (text/spam.py has the rules) and the banned hosts they use."""

import datetime

from tornadogists.services.cache import TTLCache
from tornadogists.text.spam import Score, links, score
from tornadogists.text.urls import url_host

HOUR = datetime.timedelta(hours=1)
OLD = datetime.timedelta(days=3650)   # an account older than the created_at field: no new-account points


class InvalidHost(ValueError):
    """Not a host name; str() says so."""


def check_host(text: str) -> str:
    """A host name as a link names it: "spam.example" from "https://Spam.example/x" too."""
    text = text.strip()
    host = url_host(text) or url_host("//" + text)   # "spam.example" is a host, not a path here
    if not host or "." not in host or len(host) > 253:
        raise InvalidHost("Give a host name such as spam.example (or a link to it).")
    return host


def held_why(held: Score | None) -> dict:
    """The field a held comment keeps so its author reads why; nothing for one that is not held."""
    return {"held_why": list(held.words)} if held else {}


class SpamCheck:
    def __init__(self, storage, settings, clock):
        self.storage = storage
        self.settings = settings
        self.clock = clock
        self._hosts = TTLCache(seconds=5)   # other processes' bans reach this one within seconds

    async def score(self, text: str, by: dict | None) -> Score:
        """The score of `text` by `by`; a text without links costs no database call. `by` is None for
        a comment written on GitHub: its writer has no account here, so no account points."""
        if not links(text):
            return Score(0, ())
        now = self.clock()
        hosts = await self._hosts.get("hosts", self.storage.banned_hosts.hosts, self.storage.banned_hosts.writes)
        if by is None:
            return score(text, hosts, OLD, 0)
        since = now - HOUR
        posted = (await self.storage.comments.posted_since(by["_id"], since)
                  + await self.storage.gists.submitted_since(by["_id"], since))
        repeats = await self.storage.comments.posted_since(by["_id"], since, body=text)
        age = now - by["created_at"] if by.get("created_at") else OLD
        return score(text, hosts, age, posted, repeats)

    def holds(self, result: Score) -> bool:
        return result.points > self.settings.spam_threshold

    async def check(self, text: str, by: dict | None) -> Score | None:
        """The score when it holds the item for review; None when the item may go out."""
        result = await self.score(text, by)
        return result if self.holds(result) else None

    async def log_hold(self, target: dict, result: Score) -> None:
        await self.storage.moderation_log.add("hold", target, None, "; ".join(result.reasons), self.clock())
