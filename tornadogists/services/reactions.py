"""Reactions on comments (issue 19): GitHub's eight kinds, one of each per person, exact however many race."""

import dataclasses

from tornadogists.services.limits import enforce
from tornadogists.services.visibility import is_public, may_see_comment, reasons

# GitHub's names (its API's `content`), in its order, with what the page shows and says.
KINDS = {"+1": ("👍", "thumbs up"), "-1": ("👎", "thumbs down"), "laugh": ("😄", "laugh"),
         "hooray": ("🎉", "hooray"), "confused": ("😕", "confused"), "heart": ("❤️", "heart"),
         "rocket": ("🚀", "rocket"), "eyes": ("👀", "eyes")}
NAMES_SHOWN = 10   # a popular comment says "and 40 more" rather than carry every name in its HTML
TOGGLES_PER_MINUTE = 60


class InvalidReaction(ValueError):
    """Not one of the eight kinds; str() says which are."""


class NotReactable(Exception):
    """A held or hidden comment (or one on a hidden gist) takes no reactions until it is public."""


@dataclasses.dataclass(frozen=True)
class Tally:
    kind: str
    handles: tuple   # who reacted so, first first

    @property
    def emoji(self) -> str:
        return KINDS[self.kind][0]

    @property
    def label(self) -> str:
        return KINDS[self.kind][1]

    @property
    def who(self) -> str:
        """"ada, bob and 3 more" """
        names = ", ".join(self.handles[:NAMES_SHOWN])
        more = len(self.handles) - NAMES_SHOWN
        return f"{names} and {more:,} more" if more > 0 else names


def tallies(doc: dict) -> list[Tally]:
    """The kinds someone reacted with, in GitHub's order."""
    by_kind: dict = {kind: [] for kind in KINDS}
    for reaction in doc.get("reactions") or ():
        by_kind[reaction["kind"]].append(reaction["by"]["handle"])
    return [Tally(kind, tuple(handles)) for kind, handles in by_kind.items() if handles]


def counts(doc: dict) -> dict[str, int]:
    """Every kind -> how many reacted so (the API's summary)."""
    found = {tally.kind: len(tally.handles) for tally in tallies(doc)}
    return {kind: found.get(kind, 0) for kind in KINDS}


def mine(doc: dict, viewer: dict | None) -> frozenset:
    """The kinds `viewer` reacted with."""
    if not viewer:
        return frozenset()
    return frozenset(r["kind"] for r in doc.get("reactions") or () if r["by"]["id"] == viewer["_id"])


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidReaction(f"“{kind[:40]}” is not a reaction; choose one of {', '.join(KINDS)}.")
    return kind


class ReactionService:
    def __init__(self, storage, clock):
        self.storage = storage
        self.clock = clock

    async def of(self, gist_id: str, comment_id: str, viewer: dict | None) -> dict | None:
        """The comment, its reactions in `reactions`; None when `viewer` may not see it."""
        comment = await self.storage.comments.get(gist_id, comment_id)
        if comment is None:
            return None
        gist = await self.storage.gists.get_card(gist_id)
        return comment if may_see_comment(comment, gist, viewer) else None

    async def toggle(self, gist_id: str, comment_id: str, kind: str, user: dict) -> dict | None:
        """Add the reaction, or take it away if `user` had it: the comment after; None for no such comment."""
        comment = await self._target(gist_id, comment_id, kind, user)
        if comment is None:
            return None
        on = kind not in mine(comment, user)
        return await self._change(comment, kind, user, on) or await self.storage.comments.get(gist_id, comment["_id"])

    async def set(self, gist_id: str, comment_id: str, kind: str, user: dict, on: bool) -> tuple[dict, bool] | None:
        """Have (or not have) the reaction: (the comment after, whether this call changed it)."""
        comment = await self._target(gist_id, comment_id, kind, user)
        if comment is None:
            return None
        changed = await self._change(comment, kind, user, on)
        return changed or await self.storage.comments.get(gist_id, comment["_id"]), changed is not None

    async def _target(self, gist_id: str, comment_id: str, kind: str, user: dict) -> dict | None:
        check_kind(kind)
        comment = await self.storage.comments.get(gist_id, comment_id)
        gist = await self.storage.gists.get_card(gist_id) if comment else None
        if comment is None or not may_see_comment(comment, gist, user):
            return None   # a held comment is not there for others
        if reasons(gist) or not is_public(comment):
            raise NotReactable("This comment is hidden pending review: it takes no reactions until it is published.")
        await enforce(self.storage.rate_limits, f"reaction:{user['_id']}", TOGGLES_PER_MINUTE, 60, self.clock(),
                      "You are reacting very fast: at most 60 reactions a minute. Wait a moment and try again.")
        return comment

    async def _change(self, comment: dict, kind: str, user: dict, on: bool) -> dict | None:
        """The comment after, when this call added (removed) the reaction; None when it already was so.
        The guard is in the one update, so 20 people at once make 20 reactions, a double click one."""
        if on:
            after = await self.storage.comments.add_reaction(comment["_id"], kind, {"id": user["_id"],
                                                             "handle": user["handle"]}, self.clock())
        else:
            after = await self.storage.comments.remove_reaction(comment["_id"], kind, user["_id"], self.clock())
        if after is not None:
            await self.storage.gists.touch(comment["gist_id"])   # the cached page shows the counts
        return after
