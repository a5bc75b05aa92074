"""Helpers for the moderation tests: reporting, reporters, the admin, a second site process."""

import contextlib
import dataclasses

import tornado.testing

from tests.crafted import client_for, days_ago, gist_id, make_comment, make_gist, make_user
from tests.discussion import HELLO
from tornadogists.server import Site

ADMIN = "admin@example.com"   # the test settings' `admins`


def flag_path(gist_id: str = HELLO, comment_id: str | None = None) -> str:
    return f"/gists/{gist_id}/flag" if comment_id is None else f"/gists/{gist_id}/comments/{comment_id}/flag"


async def report(client, gist_id: str = HELLO, comment_id: str | None = None, reason: str = "spam", note: str = ""):
    return await client.post(flag_path(gist_id, comment_id), {"reason": reason, "note": note})


async def people(person, count: int, first: int = 0) -> list:
    """`count` people signed in. Sign them in before any comment is posted: a discussion e-mail
    arriving meanwhile would be taken for the sign-in mail."""
    return [await person(f"reporter{n}@example.com") for n in range(first, first + count)]


STANDING = 5   # published comments a reporter with standing has written (services/trust.py: FULL_WORK)


async def give_work(db, user: dict) -> None:
    """STANDING published, unreported comments of `user`'s, on a gist of their own (written just now)."""
    home = await make_gist(db, gist_id(int(str(user["_id"])[-8:], 16) + (1 << 40)), user, f"Notes of {user['handle']}")
    for k in range(STANDING):
        await make_comment(db, home["gist_id"], user, f"Note {k}")


async def give_standing(db, user: dict) -> None:
    """Make `user` a year-old account with published, unreported work: their reports weigh in full
    (services/trust.py)."""
    await db.users.update_one({"_id": user["_id"]}, {"$set": {"created_at": days_ago(365)}})
    await give_work(db, user)


async def established(db, settings, count: int, first: int = 0) -> list:
    """`count` signed-in people whose reports weigh in full (give_standing)."""
    clients = []
    for n in range(first, first + count):
        user = await make_user(db, f"regular{n}")
        await give_standing(db, user)
        clients.append(await client_for(settings, user))
    return clients


async def report_all(clients, gist_id: str = HELLO, comment_id: str | None = None) -> None:
    for client in clients:
        response = await report(client, gist_id, comment_id)
        assert response.code == 200, response.text


@contextlib.asynccontextmanager
async def another_site(settings, **changes):
    """One more process's worth of site on the same database (and data_dir), with `changes` to its settings.

    Use it beside the `site` fixture, which drops the database afterwards.
    """
    sock, port = tornado.testing.bind_unused_port()
    changed = dataclasses.replace(settings, port=port, site_url=f"http://127.0.0.1:{port}", **changes)
    running = await Site(changed).open()
    running.listen(sockets=[sock])
    try:
        yield changed
    finally:
        await running.close()
        sock.close()
