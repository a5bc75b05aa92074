"""How comments hang together: nesting, line placement, who may edit or delete. Pure functions."""

import dataclasses

# Replies indent up to this level (1 = a top-level comment); deeper ones line up flat
# under their level-3 ancestor's parent, saying whom they answer.
NEST_LEVELS = 3


def may_edit(comment: dict, viewer: dict | None) -> bool:
    return bool(viewer) and not comment.get("deleted") and comment["author"]["id"] == viewer["_id"]


def may_delete(comment: dict, viewer: dict | None) -> bool:
    return may_edit(comment, viewer) or bool(viewer and viewer.get("is_admin") and not comment.get("deleted"))


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

    def event(self) -> dict:
        """What a live page needs, besides the HTML, to put this comment in place."""
        doc = self.doc
        kind = "deleted" if doc.get("deleted") else "edited" if doc.get("edited") else "new"
        return {
            "type": kind, "id": self.id,
            "container": str(self.container_id) if self.container_id else None,
            "line": {"file": self.file_n, "line": doc["line"]} if self.inline else None,
            "at": int(doc["updated_at"].timestamp() * 1000),
        }


def view_for(doc: dict, gist: dict, parent_handle: str | None = None) -> CommentView:
    """`parent_handle` matters only to a reply too deep to indent; it is read from the parent,
    never copied into the reply, so it follows a change of handle."""
    view = CommentView(doc=doc, gist_id=gist["gist_id"], file_n=file_numbers(gist).get(doc.get("file")))
    view.outdated = view.on_line and doc.get("revision") != gist.get("revision")
    if view.flat:
        view.replying_to = parent_handle
    return view


@dataclasses.dataclass
class Thread:
    comments: list[CommentView]                 # top-level, oldest first, replies inside
    lines: dict[int, dict[int, list[CommentView]]]   # file n -> line -> its line comments
    count: int                                  # visible comments


def build_thread(docs: list[dict], gist: dict) -> Thread:
    """Nest `docs` (oldest first). A deleted comment stays, as "[deleted]", only above a visible reply."""
    handles = {doc["_id"]: doc["author"]["handle"] for doc in docs}
    views = {doc["_id"]: view_for(doc, gist, handles.get(doc.get("parent"))) for doc in docs}
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
    count = sum(1 for doc in docs if not doc.get("deleted"))
    return Thread(comments=roots, lines=lines, count=count)
