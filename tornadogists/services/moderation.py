"""Hiding, showing and removing gists and comments, each action written to the moderation log.

Every change here goes through the gists storage's versioned writes (`set_hidden`,
`comments_changed`, `touch`), so cached gist pages, listings and feeds drop the item at once
in this process and within a second in the others.
"""

import collections
import dataclasses

from bson import ObjectId

from tornadogists.services.visibility import ADMIN, HELD, REMOVED, REPORTS, is_public, reasons
from tornadogists.storage.comments import object_id

KINDS = ("gist", "comment")
LABEL = 80


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


@dataclasses.dataclass
class Item:
    """A gist or a comment as moderation sees it; `doc` is its card or its stored comment."""

    kind: str
    doc: dict

    @property
    def gist_id(self) -> str:
        return self.doc["gist_id"]

    @property
    def id(self) -> str:
        return self.gist_id if self.kind == "gist" else str(self.doc["_id"])

    @property
    def key(self) -> str:
        """What reports and the admin's forms call it: "gist:<gist id>" or "comment:<comment id>"."""
        return f"{self.kind}:{self.id}"

    @property
    def author(self) -> dict:
        return self.doc["submitter"] if self.kind == "gist" else self.doc["author"]

    @property
    def label(self) -> str:
        if self.kind == "gist":
            return _excerpt(self.doc.get("description") or f"Gist {self.gist_id}")
        return _excerpt(self.doc.get("body") or "[deleted]")

    @property
    def target(self) -> dict:
        """How the log names it."""
        return {"kind": self.kind, "id": self.id, "gist_id": self.gist_id, "label": self.label}


def split_key(key: str) -> tuple[str, str] | None:
    kind, _, item_id = (key or "").partition(":")
    return (kind, item_id) if kind in KINDS and item_id else None


class ModerationService:
    def __init__(self, storage, notifications, gists, clock):
        self.storage = storage
        self.notifications = notifications
        self.gists = gists   # the GistService: an admin's re-fetch goes through its limits
        self.clock = clock

    async def log(self, action: str, target: dict, by: dict | None, why: str = "") -> None:
        await self.storage.moderation_log.add(action, target, by, why, self.clock())

    async def item(self, kind: str, item_id: str) -> Item | None:
        """A gist (not removed) or a visible comment; None for anything else."""
        if kind == "gist":
            gist = await self.storage.gists.get_card(item_id)
            return Item("gist", gist) if gist and REMOVED not in reasons(gist) else None
        if kind == "comment" and object_id(item_id) is not None:
            comment = await self.storage.comments.by_id(item_id)
            return Item("comment", comment) if comment and not comment.get("deleted") else None
        return None

    async def by_key(self, key: str) -> Item | None:
        found = split_key(key)
        return await self.item(*found) if found else None

    async def hide(self, item: Item, reason: str, by: dict | None, why: str) -> bool:
        """Add `reason` to the item's reasons to be hidden; False when it was there already."""
        return await self._set(item, reason, True, by, why)

    async def unhide(self, item: Item, reason: str, by: dict | None, why: str, action: str = "unhide") -> bool:
        """Take `reason` away; the item is public again once no reason is left."""
        return await self._set(item, reason, False, by, why, action)

    async def _set(self, item: Item, reason: str, hidden: bool, by, why: str, action: str = "hide") -> bool:
        if item.kind == "gist":
            if (reason in reasons(item.doc)) == hidden:
                return False
            item.doc = {**item.doc, **await self.storage.gists.set_hidden(item.gist_id, reason, hidden)}
        elif not await self.set_comments(reason, hidden, [item.doc["_id"]]):
            return False
        await self.log(action, {**item.target, "reason": reason}, by, why)
        return True

    async def set_comments(self, reason: str, hidden: bool, ids: list[ObjectId]) -> list[dict]:
        """Hide or show many comments; each gist's count and version move once. The comments changed."""
        changed, counts = [], collections.Counter()
        for comment_id in ids:
            before = await self.storage.comments.set_hidden(comment_id, reason, hidden, self.clock())
            if before is None:
                continue   # already so, or deleted meanwhile
            changed.append(before)
            after = reasons(before) | {reason} if hidden else reasons(before) - {reason}
            counts[before["gist_id"]] += (not after) - (not reasons(before))
        for gist_id in {c["gist_id"] for c in changed}:
            await self.storage.gists.comments_changed(gist_id, counts[gist_id])
        return changed

    async def publish(self, item: Item, by: dict, why: str) -> bool:
        """A held item goes public; a comment's e-mails go out as they would have when it was posted
        (none for a comment from GitHub: those bring no e-mails)."""
        if not await self.unhide(item, HELD, by, why, action="publish"):
            return False
        if item.kind == "comment" and not item.doc.get("github") and is_public({**item.doc, "hidden": list(reasons(item.doc) - {HELD})}):
            gist = await self.storage.gists.outline(item.gist_id)
            parent = await self.storage.comments.get(item.gist_id, item.doc["parent"]) if item.doc["parent"] else None
            if gist is not None:
                await self.notifications.comment_posted(item.doc, gist, parent)
        return True

    async def remove(self, item: Item, by: dict, why: str) -> None:
        """Delete a comment (its place stays for its replies), or a gist with its whole discussion."""
        if item.kind == "comment":
            before = await self.storage.comments.mark_deleted(item.doc["_id"], self.clock())
            if before is not None:
                await self.storage.gists.comments_changed(item.gist_id, -1 if is_public(before) else 0)
        else:
            removed = {"at": self.clock(), "by": by["handle"], "reason": why}
            await self.storage.gists.set_hidden(item.gist_id, REMOVED, True, {"removed": removed})
            await self.storage.gists.drop_files(item.gist_id)
            await self.storage.comments.remove_all(item.gist_id)
        await self.storage.reports.close(item.key, "removed", self.clock())
        await self.log("remove", item.target, by, why)

    # An admin at /admin/gists/{gist_id}.

    async def hide_gist(self, item: Item, by: dict, why: str) -> None:
        await self.hide(item, ADMIN, by, why)

    async def show_gist(self, item: Item, by: dict, why: str) -> None:
        """Shown again whatever hid it, except its submitter's ban (lifted at /admin/people); reports close."""
        for reason in (ADMIN, REPORTS, HELD):
            await self.unhide(item, reason, by, why)
        await self.storage.reports.close(item.key, "kept", self.clock())

    async def refetch(self, gist_id: str, by: dict, why: str) -> dict | None:
        """Fetch the gist from GitHub now. Raises RateLimited or GitHubError."""
        gist = await self.gists.refresh(gist_id, by)
        if gist is not None:
            await self.log("refetch", {"kind": "gist", "id": gist_id, "gist_id": gist_id,
                                       "label": gist.get("description") or f"Gist {gist_id}"}, by, why)
        return gist
