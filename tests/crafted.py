"""Crafted people, gists, comments and loves, written straight into the database.

For tests that need many of them (sort orders, pagination, concurrency), where
signing in and importing through HTTP one by one would be slow. Gists are built
by the import's own builders, so they are shaped exactly like imported ones.
"""

import datetime

import tornado.web
from bson import ObjectId

from tests.client import Client
from tornadogists.services.auth import SESSION_DAYS, hash_token, session_value
from tornadogists.storage import Storage
from tornadogists.services.gists import build_files, gist_fields
from tornadogists.text.markdown import render_markdown


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def days_ago(days: float) -> datetime.datetime:
    return now() - datetime.timedelta(days=days)


def user_doc(handle: str, **fields) -> dict:
    return {"_id": ObjectId(), "handle": handle, "email": f"{handle}@example.com",
            "is_admin": False, "created_at": days_ago(10), **fields}


def session_of(user: dict) -> tuple:
    """The arguments of Sessions.add for the session client_for signs in with."""
    return hash_token(_session_id(user)), user["_id"], now(), now() + datetime.timedelta(days=SESSION_DAYS)


async def make_user(db, handle: str, **fields) -> dict:
    """A person with one session (see client_for)."""
    user = user_doc(handle, **fields)
    await db.users.insert_one(user)
    await Storage(db).sessions.add(*session_of(user))
    return user


def _session_id(user: dict) -> str:
    return f"crafted-{user['_id']}"


async def client_for(settings, user: dict) -> Client:
    """An HTTP client signed in as `user` (the session cookie the site itself would set)."""
    client = Client(settings.site_url)
    value = tornado.web.create_signed_value(settings.cookie_secret, "session",
                                            session_value(user["_id"], _session_id(user)))
    client.cookies["session"] = value.decode()
    await client.xsrf()
    return client


def github_gist(gist_id: str, description: str, files: dict[str, str], when: datetime.datetime) -> dict:
    """A gist as GitHub's API describes it."""
    stamp = when.isoformat().replace("+00:00", "Z")
    return {
        "id": gist_id, "description": description, "public": True,
        "html_url": f"https://gist.github.com/{gist_id}", "created_at": stamp, "updated_at": stamp,
        "owner": {"login": "octocat", "avatar_url": None, "html_url": "https://github.com/octocat"},
        "history": [{"version": "0" * 40}],
        "files": {name: {"filename": name, "language": "Python", "type": "text/plain", "size": len(content),
                         "content": content, "raw_url": f"https://gist.githubusercontent.com/x/{name}"}
                  for name, content in files.items()},
    }


async def make_gist(db, gist_id: str, submitter: dict, description: str = "", tags=(),
                    files: dict[str, str] | None = None, submitted_at=None, **fields) -> dict:
    submitted_at = submitted_at or now()
    data = github_gist(gist_id, description, files or {"main.py": "print('hello')\n"}, submitted_at)
    doc = gist_doc(data, build_files(data["files"], 1 << 20), submitter, tags, submitted_at, **fields)
    await Storage(db).gists.insert(doc)
    return doc


def gist_doc(data: dict, files: list[dict], submitter: dict, tags, submitted_at, **fields) -> dict:
    """A gist as the import stores it, from GitHub's `data` and its built `files`."""
    return {
        **gist_fields(data, files),
        "gist_id": data["id"], "tags": list(tags), "intro": "", "intro_html": "",
        "submitter": {"id": submitter["_id"], "handle": submitter["handle"]},
        "submitted_at": submitted_at, "fetched_at": now() + datetime.timedelta(days=1),  # never refreshed
        "etag": None, "loves": 0, **fields,
    }


async def make_comment(db, gist_id: str, author: dict, body: str, created_at=None, **fields) -> dict:
    html = fields.pop("html", None) or render_markdown(body)
    doc = comment_doc(gist_id, author, body, html, created_at or now(), **fields)
    storage = Storage(db)
    await storage.comments.insert(doc)
    # As the site does after comments change: the gist's 30 days are counted again (storage/discussion.py).
    await storage.gists.comments_changed(gist_id, 0)
    return doc


def comment_doc(gist_id: str, author: dict, body: str, html: str, created_at, **fields) -> dict:
    return {
        "_id": ObjectId(), "gist_id": gist_id, "author": {"id": author["_id"], "handle": author["handle"]},
        "body": body, "html": html, "parent": None, "file": None, "line": None,
        "revision": "0" * 40, "created_at": created_at, "updated_at": created_at, "edited": False,
        "versions": [], "deleted": False, **fields,
    }


async def make_love(db, gist_id: str, user: dict) -> None:
    await Storage(db).loves.add(gist_id, user["_id"], now())
    await db.gists.update_one({"gist_id": gist_id}, {"$inc": {"loves": 1}})


def gist_id(n: int) -> str:
    return f"{n:020x}"
