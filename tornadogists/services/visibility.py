"""Hidden gists and comments: why they are hidden, who still sees them, what they say. Pure functions.

An item's `hidden` field lists the reasons it is out of public view; an empty or
missing list means public. Each reason is added and taken away on its own, so an
unban never shows a comment that reports still hide.
"""

REPORTS = "reports"   # reported by flags_to_hide people: until an admin keeps or removes it
HELD = "held"         # the spam score held it when it was posted: until an admin publishes it
BAN = "ban"           # its author is banned: until the ban is lifted
ADMIN = "admin"       # an admin hid it (a gist, from /admin/gists/{gist_id})
REMOVED = "removed"   # a gist an admin deleted: its record stays so every process's cache sees the change


def reasons(doc: dict) -> frozenset:
    return frozenset(doc.get("hidden") or ())


def is_public(doc: dict) -> bool:
    """Not deleted and not hidden: what listings, feeds, search and e-mails show."""
    return not doc.get("deleted") and not reasons(doc)


def held_only(doc: dict) -> bool:
    """Never published (held at posting), as opposed to taken out of view after."""
    return reasons(doc) == {HELD}


def label(doc: dict) -> str:
    """The mark its author and admins see on a hidden item."""
    return "awaiting review" if held_only(doc) else "hidden pending review"


def may_see_gist(gist: dict, viewer: dict | None) -> bool:
    """A hidden gist's page: its submitter and admins still see it; a removed one is gone for all."""
    found = reasons(gist)
    if not found:
        return True
    if REMOVED in found or not viewer:
        return False
    return bool(viewer.get("is_admin")) or gist["submitter"]["id"] == viewer["_id"]


def gist_access(gist: dict, viewer: dict | None) -> str:
    """What a gist's page is to `viewer`: "shown"; "hidden" (a 404 saying it is hidden pending
    review); "absent" (a plain 404: removed, or held and never published)."""
    if may_see_gist(gist, viewer):
        return "shown"
    found = reasons(gist)
    return "absent" if REMOVED in found or found == {HELD} else "hidden"
