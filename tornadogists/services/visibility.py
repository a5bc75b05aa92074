"""Hidden gists and comments: why they are hidden, who still sees them, what they say. Pure functions.

An item's `hidden` field lists the reasons it is out of public view; an empty or
missing list means public. Each reason is added and taken away on its own, so an
unban never shows a comment that reports still hide.
"""

from tornadogists.storage import comments as comments_storage

REPORTS = "reports"   # reported by flags_to_hide people: until an admin keeps or removes it
HELD = "held"         # the spam score held it when it was posted: until an admin publishes it
BAN = "ban"           # its author is banned: until the ban is lifted
ADMIN = "admin"       # an admin hid it (a gist, from /admin/gists/{gist_id})
REMOVED = "removed"   # a gist an admin deleted: its record stays so every process's cache sees the change


def reasons(doc: dict) -> frozenset:
    return frozenset(doc.get("hidden") or ())


# Not deleted and not hidden: what listings, feeds, search and e-mails show. One rule, kept
# beside the query that selects the same documents (storage/comments.py PUBLIC).
is_public = comments_storage.is_public


def held_only(doc: dict) -> bool:
    """Never published (held at posting), as opposed to taken out of view after."""
    return reasons(doc) == {HELD}


def label(doc: dict) -> str:
    """The mark its author and admins see on a hidden item."""
    return "awaiting review" if held_only(doc) else "hidden pending review"


def sees_hidden(owner_id, viewer: dict | None) -> bool:
    """Who still sees a hidden item, marked: its author (a gist's submitter) and admins."""
    return bool(viewer) and (bool(viewer.get("is_admin")) or (owner_id is not None and owner_id == viewer["_id"]))


def may_see_gist(gist: dict, viewer: dict | None) -> bool:
    """A hidden gist is there for its submitter and admins only (to anyone else, the 404 of an unknown
    gist: nothing says it exists); a removed one is gone for all."""
    found = reasons(gist)
    if not found:
        return True
    return REMOVED not in found and sees_hidden(gist["submitter"]["id"], viewer)


def shows_comment(comment: dict, viewer: dict | None) -> bool:
    """A comment's own text: public, or hidden and the viewer's own (or an admin's view); a deleted one to nobody.
    A comment from GitHub (issue 11) has nobody here as its author."""
    if comment.get("deleted"):
        return False
    owner = None if comment.get("github") else comment["author"].get("id")
    return not reasons(comment) or sees_hidden(owner, viewer)


def may_see_comment(comment: dict, gist: dict | None, viewer: dict | None) -> bool:
    """The one rule for every page, tab, feed, e-mail, socket and API answer that shows a comment's text:
    the viewer may see its gist, and the comment itself."""
    return gist is not None and may_see_gist(gist, viewer) and shows_comment(comment, viewer)
