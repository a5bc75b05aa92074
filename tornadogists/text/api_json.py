"""The JSON API's representations: stored gists, comments and people -> what /api/v1 answers. Pure functions.

`links(name, *args)` is the absolute URL of a named route; every URL a representation
carries is built with it, so clients follow links instead of building them.
"""

import datetime
from urllib.parse import urlencode

from tornadogists.services.reactions import counts
from tornadogists.text.handles import gone
from tornadogists.text.images import absolute_images


def iso_utc(when: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the second: 2024-05-01T12:00:00Z."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def person_json(person: dict, links) -> dict:
    """A comment's author (or any user record): handle, avatar, profile page, API address."""
    handle = person["handle"]
    return {"handle": handle, "avatar_url": person.get("avatar_url") or links("avatar", handle),
            "html_url": links("user", handle), "url": links("api-user", handle)}


def _submitter(submitter: dict, links) -> dict | None:
    if gone(submitter):
        return None
    handle = submitter["handle"]
    return {"handle": handle, "html_url": links("user", handle), "url": links("api-user", handle)}


def _owner(owner: dict | None) -> dict | None:
    if not owner or not owner.get("login"):
        return None
    return {"login": owner["login"], "avatar_url": owner.get("avatar_url"), "html_url": owner.get("html_url")}


def gist_summary(card: dict, links) -> dict:
    """A gist as listings show it: no files, no introduction."""
    gist_id = card["gist_id"]
    summary = {
        "id": gist_id, "url": links("api-gist", gist_id), "html_url": links("gist", gist_id),
        "comments_url": links("api-gist-comments", gist_id),
        "description": card.get("description") or "", "owner": _owner(card.get("owner")),
        "submitter": _submitter(card["submitter"], links),
        "file_count": card.get("file_count") or 0, "languages": card.get("languages") or [],
        "tags": card.get("tags") or [], "loves": card.get("loves") or 0, "comments": card.get("comment_count") or 0,
        "submitted_at": iso_utc(card.get("submitted_at")), "updated_at": iso_utc(card.get("github_updated_at")),
        "last_comment_at": iso_utc(card.get("last_comment_at")), "deleted": bool(card.get("deleted")),
    }
    if "recent_comments" in card:   # the "discussed" sort: comments in the last 30 days
        summary["recent_comments"] = card["recent_comments"]
    return summary


def file_json(file: dict, gist_id: str, links) -> dict:
    content = file.get("content")
    return {
        "name": file["name"], "language": file.get("language"), "size": file.get("size") or 0,
        "kind": file.get("kind") or "text", "content": content,
        "raw_url": links("gist-raw", gist_id, file["name"]) if content is not None else None,
    }


def gist_json(gist: dict, links) -> dict:
    """A whole gist: the summary, its introduction, revision and files with their contents."""
    return {
        **gist_summary(gist, links),
        "intro": gist.get("intro") or "",
        "intro_html": absolute_images(gist.get("intro_html") or "", links("gist", gist["gist_id"])),
        "revision": gist.get("revision"), "github_html_url": gist.get("html_url"),
        "fetched_at": iso_utc(gist.get("fetched_at")),
        "files": [file_json(file, gist["gist_id"], links) for file in gist.get("files") or []],
    }


def comment_json(view, links) -> dict:
    """A CommentView (services.threads); a deleted comment keeps only its place in the thread."""
    doc, deleted = view.doc, bool(view.doc.get("deleted"))
    github = None if deleted else doc.get("github")   # written on GitHub (issue 11): no author here
    return {
        "id": view.id, "html_url": links("gist", view.gist_id) + f"#comment-{view.id}",
        "parent": str(doc["parent"]) if doc.get("parent") else None,
        "file": doc.get("file"), "line": doc.get("line"), "outdated": view.outdated,
        "revision": doc.get("revision"), "author": None if deleted or github or gone(doc["author"]) else person_json(doc["author"], links),
        "github": {"login": doc["author"]["handle"], "html_url": github.get("profile_url"),
                   "comment_url": github.get("url")} if github else None,
        "body": doc.get("body") or "", "html": absolute_images(doc.get("html") or "", links("gist", view.gist_id)),
        "edited": bool(doc.get("edited")),
        "deleted": deleted, "created_at": iso_utc(doc["created_at"]), "updated_at": iso_utc(doc["updated_at"]),
        "reactions": counts(doc),
    }


def reactions_json(doc: dict, links) -> dict:
    """A comment's reactions: the counts, and who reacted with what, oldest first."""
    return {"counts": counts(doc), "reactions": [{"content": r["kind"], "user": _submitter(r["by"], links)}
                                                 for r in doc.get("reactions") or ()]}


def thread_json(thread, links) -> list[dict]:
    """Every comment a thread shows, oldest first; clients nest them by `parent`."""
    views, stack = [], list(thread.comments)
    while stack:
        view = stack.pop()
        views.append(view)
        stack.extend(view.replies)
    views.sort(key=lambda view: (view.doc["created_at"], view.id))
    return [comment_json(view, links) for view in views]


def user_json(user: dict, gists: list[dict], has_more: bool, links) -> dict:
    """A person's public profile (never their e-mail address) and the gists they submitted last."""
    github = user.get("github") or {}
    return {
        **person_json(user, links), "display_name": user.get("display_name") or None,
        "github": {"login": github["login"], "html_url": github.get("html_url")} if github.get("login") else None,
        "joined_at": iso_utc(user.get("created_at")),
        "gists": [gist_summary(card, links) for card in gists], "more_gists": has_more,
    }


def tag_json(tag: dict, links) -> dict:
    return {"tag": tag["tag"], "count": tag["count"], "html_url": links("tag", tag["tag"]),
            "gists_url": links("api-gists") + "?" + urlencode({"tag": tag["tag"]})}


def _pieces(pieces) -> dict:
    return {"text": "".join(text for text, _ in pieces),
            "pieces": [{"text": text, "match": bool(hit)} for text, hit in pieces]}


def search_result_json(result: dict, links) -> dict:
    """A search hit: the gist, and where it matched (a line of a file, a comment)."""
    found, comment = result.get("file"), result.get("comment")
    return {
        "gist": gist_summary(result["gist"], links),
        "file_match": {"file": found["file"], "line": found["line"], **_pieces(found["pieces"])} if found else None,
        "comment_match": {
            "id": str(comment["_id"]), "html_url": links("gist", result["gist_id"]) + f"#comment-{comment['_id']}",
            **_pieces(result["comment_excerpt"]),
        } if comment and result.get("comment_excerpt") else None,
    }


def link_header(url: str, params: dict, page: int, has_next: bool, last: int | None = None) -> str | None:
    """RFC 8288 links to the neighbouring pages, as GitHub sends them; None for a lone first page."""
    def at(number: int) -> str:
        return url + "?" + urlencode({**params, "page": number})

    rels = []
    if has_next:
        rels.append(("next", page + 1))
    if last is not None and last > page:
        rels.append(("last", last))
    if page > 1:
        rels += [("first", 1), ("prev", page - 1)]
    return ", ".join(f'<{at(number)}>; rel="{rel}"' for rel, number in rels) or None
