"""How comments hang together: nesting, line placement, who may edit or delete. Pure functions."""

import dataclasses

from tornadogists.services import reactions
from tornadogists.services.visibility import held_only, is_public, may_see_gist, reasons, shows_comment

# Replies indent up to this level (1 = a top-level comment); deeper ones line up flat
# under their level-3 ancestor's parent, saying whom they answer.
NEST_LEVELS = 3


def may_edit(comment: dict, viewer: dict | None) -> bool:
    # A comment from GitHub (issue 11) has no author here: nobody edits it, admins may still delete it.
    return bool(viewer) and not comment.get("deleted") and not comment.get("github") \
        and comment["author"]["id"] == viewer["_id"]


def may_delete(comment: dict, viewer: dict | None) -> bool:
    return may_edit(comment, viewer) or bool(viewer and viewer.get("is_admin") and not comment.get("deleted"))


def relation(comment: dict, viewer: dict | None) -> str:
    """What a comment's buttons, and a hidden comment's text, depend on: who the viewer is to it."""
    if not viewer:
        return "anonymous"
    if may_edit(comment, viewer):
        return "author"
    return "moderator" if may_delete(comment, viewer) else "member"


def changed_at(doc: dict):
    """When a live page last had news of the comment: written, edited, hidden or deleted, or reacted to."""
    reacted = doc.get("reacted_at")
    return max(doc["updated_at"], reacted) if reacted else doc["updated_at"]


def file_numbers(gist: dict) -> dict[str, int]:
    """File name -> its number on the page (the n of `#file-{n}-L{line}`)."""
    return {f["name"]: f["n"] for f in gist.get("files", [])}


@dataclasses.dataclass
class CommentView:
    """A comment as a page shows it: where it sits and what it says about itself."""

    doc: dict
    gist_id: str
    file_n: int | None = None   # the file's number on the page, when the file is still there
    outdated: bool = False      # a line comment written against an older revision
    replying_to: str | None = None   # the parent's author, said by a reply too deep to indent
    replies: list = dataclasses.field(default_factory=list)
    old_file_n: int | None = None    # outdated: the file's number on its revision's page, when stored
    since: str | None = None         # outdated: what the diff says became of its line ("this line changed since")
    gist: dict | None = None         # its gist's outline (submitter, hidden): a live socket outlives a gist's hiding

    @property
    def id(self) -> str:
        return str(self.doc["_id"])

    @property
    def ancestors(self) -> list:
        return self.doc.get("ancestors") or []

    @property
    def level(self) -> int:
        return len(self.ancestors) + 1

    @property
    def flat(self) -> bool:
        """Too deep to indent: shown beside its parent's siblings, "in reply to" its parent."""
        return self.level > NEST_LEVELS

    @property
    def container_id(self):
        """The comment whose replies list holds this one; None for a top-level comment."""
        return self.ancestors[: NEST_LEVELS - 1][-1] if self.ancestors else None

    @property
    def on_line(self) -> bool:
        return self.doc.get("file") is not None and self.doc.get("line") is not None

    @property
    def inline(self) -> bool:
        """Shown under its line of code too: a top-level line comment on the current revision."""
        return self.on_line and not self.ancestors and not self.outdated and self.file_n is not None

    def may_edit(self, viewer) -> bool:
        return may_edit(self.doc, viewer)

    def may_delete(self, viewer) -> bool:
        return may_delete(self.doc, viewer)

    @property
    def tallies(self) -> list:
        return reactions.tallies(self.doc)

    def reacted(self, viewer) -> frozenset:
        return reactions.mine(self.doc, viewer)

    @property
    def reactable(self) -> bool:
        """Public, on a public gist: a held or hidden comment takes no reactions."""
        return is_public(self.doc) and not (self.gist and reasons(self.gist))

    @property
    def changed_at(self):
        return changed_at(self.doc)

    @property
    def at(self) -> int:
        """`changed_at` in milliseconds: the stamp a live page compares news with."""
        return int(self.changed_at.timestamp() * 1000)

    def state(self, viewer) -> str:
        """How `viewer` sees it: "shown"; "deleted" or "hidden" (a placeholder keeping its place
        for its replies); "absent" (a held comment nobody answered: never published, or on a gist
        the viewer may no longer see)."""
        doc = self.doc
        if doc.get("deleted"):
            return "deleted"
        if self.gist is not None and not may_see_gist(self.gist, viewer):
            return "absent"
        if shows_comment(doc, viewer):
            return "shown"
        return "absent" if held_only(doc) and not self.replies else "hidden"

    def relations(self, viewer) -> tuple:
        """The viewer's relation to this comment and each reply under it: what its HTML depends on."""
        return (relation(self.doc, viewer), self.reacted(viewer), *(r.relations(viewer) for r in self.replies))

    def event(self, viewer=None) -> dict:
        """What a live page needs, besides the HTML, to put this comment in place.

        A comment hidden from `viewer` goes to their page as a deletion: its placeholder, if any.
        """
        doc = self.doc
        kind = "deleted" if self.state(viewer) != "shown" else "edited" if doc.get("edited") else "new"
        return {
            "type": kind, "id": self.id,
            "container": str(self.container_id) if self.container_id else None,
            "line": {"file": self.file_n, "line": doc["line"]} if self.inline else None,
            "at": self.at,
        }


def view_for(doc: dict, gist: dict, parent_handle: str | None = None, fates: dict | None = None) -> CommentView:
    """`parent_handle` matters only to a reply too deep to indent; it is read from the parent,
    never copied into the reply, so it follows a change of handle. `fates`: (revision, file) ->
    text/diffs.FileFate, what became of an older revision's files (services/revisions.py)."""
    view = CommentView(doc=doc, gist_id=gist["gist_id"], file_n=file_numbers(gist).get(doc.get("file")), gist=gist)
    view.outdated = view.on_line and doc.get("revision") != gist.get("revision")
    fate = (fates or {}).get((doc.get("revision"), doc.get("file"))) if view.outdated else None
    if fate is not None:
        view.old_file_n, view.since = fate.n, fate.since(doc["line"])
    if view.flat:
        view.replying_to = parent_handle
    return view


@dataclasses.dataclass
class Thread:
    comments: list[CommentView]                 # top-level, oldest first, replies inside
    lines: dict[int, dict[int, list[CommentView]]]   # file n -> line -> its line comments
    count: int                                  # public comments (not deleted, not hidden)


def build_thread(docs: list[dict], gist: dict, fates: dict | None = None) -> Thread:
    """Nest `docs` (oldest first). A deleted comment stays, as "[deleted]", only above a visible reply."""
    handles = {doc["_id"]: doc["author"]["handle"] for doc in docs}
    views = {doc["_id"]: view_for(doc, gist, handles.get(doc.get("parent")), fates) for doc in docs}
    holding = {a for doc in docs if not doc.get("deleted") for a in doc.get("ancestors") or []}
    roots, lines = [], {}
    for oid, view in views.items():
        if view.doc.get("deleted") and oid not in holding:
            continue
        if view.container_id is None:
            roots.append(view)
        elif view.container_id in views:
            views[view.container_id].replies.append(view)
        if view.inline:
            lines.setdefault(view.file_n, {}).setdefault(view.doc["line"], []).append(view)
    count = sum(1 for doc in docs if is_public(doc))
    return Thread(comments=roots, lines=lines, count=count)
