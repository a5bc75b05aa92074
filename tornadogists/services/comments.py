"""Posting, editing, deleting and previewing comments: the discussion's rules."""

import datetime
import hashlib

from bson import ObjectId

from tornadogists.services.limits import enforce
from tornadogists.services.moderation import Item
from tornadogists.services.spam import held_why
from tornadogists.services.threads import Thread, build_thread, may_delete, may_edit
from tornadogists.services.visibility import HELD, is_public, may_see_comment, may_see_gist
from tornadogists.text import mentions
from tornadogists.text.highlight import split_lines

MAX_BODY = 20_000
COMMENTS_PER_MINUTE = 10
EDITS_PER_MINUTE = 20
PREVIEWS_PER_MINUTE = 60
DOUBLE_SUBMIT = datetime.timedelta(seconds=10)


class InvalidComment(ValueError):
    """A bad body, parent, file or line; str() is the message shown above the kept form."""


class NotAllowed(Exception):
    """Only the author edits a comment; the author or an admin deletes it."""


class EditConflict(Exception):
    """The comment changed between loading the edit form and saving it."""


def _within_limit(text: str) -> str:
    """Form newlines (CRLF) made LF, then at most MAX_BODY characters."""
    body = (text or "").replace("\r\n", "\n")
    if len(body) > MAX_BODY:
        raise InvalidComment(f"The comment is too long: {len(body):,} characters, at most {MAX_BODY:,}.")
    return body


def check_body(text: str) -> str:
    """The body as stored: 1-20,000 characters, not all blank."""
    body = _within_limit(text)
    if not body.strip():
        raise InvalidComment("Write something first: the comment is empty.")
    return body


def check_line(gist: dict, file: str, line: str) -> tuple[str | None, int | None]:
    """(file name, line number) for a line comment, (None, None) for a comment on the whole gist."""
    if not file and not line:
        return None, None
    if not file or not line:
        raise InvalidComment("To comment on a line, choose both the file and the line number.")
    try:
        number = int(line)
    except ValueError:
        raise InvalidComment("The line must be a whole number.") from None
    for f in gist.get("files", []):
        if f["name"] == file and f.get("content") is not None:
            count = f["line_count"] if "line_count" in f else len(split_lines(f["content"]))  # the lines shown
            if not 1 <= number <= count:
                raise InvalidComment(f"{file} has lines 1 to {count}; there is no line {number}.")
            return file, number
    raise InvalidComment(f"This gist has no file named “{file}” with lines to comment on.")


def author_copy(user: dict) -> dict:
    """What a comment keeps of its author, so a thread needs no join."""
    author = {"id": user["_id"], "handle": user["handle"]}
    if user.get("avatar_url"):
        author["avatar_url"] = user["avatar_url"]
    return author


def _guard_key(user: dict, gist_id: str, body: str, parent, file, line) -> str:
    text = "\x00".join(map(str, (user["_id"], gist_id, parent or "", file or "", line or "", body.strip())))
    return "comment:" + hashlib.sha256(text.encode()).hexdigest()


class CommentService:
    def __init__(self, storage, notifications, clock, renderer, spam, moderation):
        self.storage = storage
        self.notifications = notifications
        self.clock = clock
        self.renderer = renderer
        self.spam = spam
        self.moderation = moderation   # an edit the spam score holds is hidden like a new comment

    async def _render(self, body: str, by: dict) -> tuple[str, list]:
        """The HTML, its mentions linked to the people they name; those people's ids (not the writer's)."""
        html, handles = await self.renderer.comment(body)
        found = await self.storage.users.named(handles)
        people = {user["github"]["login"].lower(): user for user in found if user.get("github")}
        people.update((user["handle"], user) for user in found)   # a handle before another's GitHub login
        named = [people[handle] for handle in handles if handle in people]
        html = mentions.resolve(html, {name: user["handle"] for name, user in people.items()})
        return html, list(dict.fromkeys(user["_id"] for user in named if user["_id"] != by["_id"]))

    async def post(self, gist_id: str, by: dict, body: str, parent: str = "",
                   file: str = "", line: str = "") -> dict | None:
        """Store a comment and return it; None when the gist does not exist.

        The same comment posted again within 10 seconds (a double click, a resent form)
        returns the first one instead of storing a second. A comment the spam score holds
        is stored hidden, for its author and admins only, until an admin publishes it.
        """
        gist = await self.storage.gists.outline(gist_id, with_content=bool(file or line))   # the texts: to check a line
        if gist is None or not may_see_gist(gist, by):
            return None
        body = check_body(body)
        file, line = check_line(gist, file, line)
        parent_doc = await self._parent(gist, parent, file, by)
        now, new_id = self.clock(), ObjectId()
        key = _guard_key(by, gist_id, body, parent_doc and parent_doc["_id"], file, line)
        first = await self.storage.submit_guards.claim(key, new_id, now, DOUBLE_SUBMIT)
        if first is not None:
            return await self.storage.comments.get(gist_id, first) or {"_id": first, "gist_id": gist_id}
        try:
            await enforce(self.storage.rate_limits, f"comment:{by['_id']}", COMMENTS_PER_MINUTE, 60, now,
                          "You are commenting very fast: at most 10 comments a minute. Wait a moment and send it again.")
            doc = self._new_doc(new_id, gist, by, body, parent_doc, file, line, now)
            held = await self.spam.check(body, by)
            html, doc["mentions"] = await self._render(body, by)
            doc.update(html=html, hidden=[HELD] if held else [], **held_why(held))
            await self.storage.comments.insert(doc)
        except Exception:
            await self.storage.submit_guards.release(key, new_id)
            raise
        if held:
            await self.storage.gists.touch(gist_id)   # its author sees it on the page, marked
            await self.spam.log_hold(Item("comment", doc).target, held)
            return doc
        await self.storage.gists.comment_added(gist_id, now, by["_id"])
        await self.notifications.comment_posted(doc, gist, parent_doc)
        return doc

    async def _parent(self, gist: dict, parent: str, file: str | None, by: dict) -> dict | None:
        if not parent:
            return None
        if file:
            raise InvalidComment("A reply follows its parent comment; it cannot name a line of its own.")
        doc = await self.storage.comments.get(gist["gist_id"], parent)
        if doc is not None and doc.get("deleted"):
            raise InvalidComment("The comment you are replying to has been deleted.")
        if doc is None or not may_see_comment(doc, gist, by):   # a hidden one is not there for others
            raise InvalidComment("The comment you are replying to is not part of this discussion.")
        if doc.get("github"):   # its writer is on GitHub and would never see a reply here (issue 11)
            raise InvalidComment("Comments from GitHub are read-only here: answer on GitHub, "
                                 "or write a comment of your own.")
        return doc

    @staticmethod
    def _new_doc(new_id, gist, by, body, parent, file, line, now) -> dict:
        return {
            "_id": new_id, "gist_id": gist["gist_id"], "author": author_copy(by), "body": body,
            "parent": parent["_id"] if parent else None,
            # The whole chain of parents: nesting and "[deleted]" placeholders need no lookups.
            "ancestors": [*parent.get("ancestors", []), parent["_id"]] if parent else [],
            "file": file, "line": line, "revision": gist.get("revision"),
            "created_at": now, "updated_at": now, "edited": False, "versions": [], "deleted": False,
        }

    async def editable(self, gist_id: str, comment_id: str, by: dict) -> dict | None:
        """The comment, if `by` may edit it; None if there is no such visible comment."""
        comment = await self.storage.comments.get(gist_id, comment_id)
        if comment is None or comment.get("deleted"):
            return None
        if not may_edit(comment, by):
            raise NotAllowed()
        return comment

    async def edit(self, gist_id: str, comment_id: str, by: dict, body: str) -> dict | None:
        """Replace the body, keeping the previous version viewable. An edit the spam score would
        have held is held too: a comment cannot be posted harmless and edited into spam."""
        comment = await self.editable(gist_id, comment_id, by)
        if comment is None:
            return None
        body = check_body(body)
        if body == comment["body"]:
            return comment
        await enforce(self.storage.rate_limits, f"comment-edit:{by['_id']}", EDITS_PER_MINUTE, 60,
                      self.clock(), "You are editing very fast; wait a moment and save again.")
        held = await self.spam.check(body, by)
        html, named = await self._render(body, by)
        # Each person hears of a comment once, and of at most MAX_MENTIONS over all its versions.
        told = comment.get("mentions", [])
        fresh = [user_id for user_id in named if user_id not in told][:max(0, mentions.MAX_MENTIONS - len(told))]
        if not await self.storage.comments.replace_body(comment, body, html, self.clock(),
                                                        {**held_why(held), "mentions": told + fresh}):
            raise EditConflict("The comment changed while you were editing it. Reload it and edit again.")
        if held:   # hiding bumps the gist's version too
            await self.moderation.hide(Item("comment", comment), HELD, None, "; ".join(held.reasons))
        else:
            await self.storage.gists.touch(gist_id)
            if fresh and is_public(comment):
                await self.notifications.mentioned(comment, fresh)
        return comment

    async def delete(self, gist_id: str, comment_id: str, by: dict) -> dict | None:
        """Blank the comment; its replies stay. The count drops once, however many deletes race."""
        comment = await self.storage.comments.get(gist_id, comment_id)
        if comment is None or comment.get("deleted"):
            return None
        if not may_delete(comment, by):
            raise NotAllowed()
        before = await self.storage.comments.mark_deleted(comment["_id"], self.clock())
        if before is not None:   # a hidden comment was not counted
            await self.storage.gists.comments_changed(gist_id, -1 if is_public(before) else 0)
        return comment

    async def history(self, gist_id: str, comment_id: str, viewer: dict | None) -> dict | None:
        """A comment with its earlier versions; None when `viewer` may not see it (visibility.py)."""
        comment = await self.storage.comments.get(gist_id, comment_id)
        if comment is None:
            return None
        gist = await self.storage.gists.get_card(gist_id)
        return comment if may_see_comment(comment, gist, viewer) else None

    async def thread(self, gist_id: str) -> Thread | None:
        """A public gist's discussion without its files' HTML, for the API (anonymous): a hidden
        comment is a deleted one there. None when there is no such gist, or it is hidden."""
        gist = await self.storage.gists.outline(gist_id)
        if gist is None or not may_see_gist(gist, None):
            return None
        docs = [doc if is_public(doc) or doc.get("deleted") else {**doc, "deleted": True, "body": "", "html": ""}
                for doc in await self.storage.comments.for_gist(gist_id)]
        return build_thread(docs, gist)

    async def preview(self, body: str, by: dict) -> str:
        """The HTML a body would be stored as; the same renderer and sanitiser as posting."""
        body = _within_limit(body)
        await enforce(self.storage.rate_limits, f"preview:{by['_id']}", PREVIEWS_PER_MINUTE, 60,
                      self.clock(), "Too many previews; wait a moment.")
        return (await self._render(body, by))[0]
