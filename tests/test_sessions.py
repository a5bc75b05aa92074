"""Sessions are records on the server: signing out ends one, everywhere ends all, a copy dies with it."""

import asyncio
import datetime
import hashlib

import tornado.web

from tests.client import Client
from tests.conftest import sign_in
from tornadogists.services.auth import SESSION_CACHE_SECONDS


def ago(**delta) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) - datetime.timedelta(**delta)


async def is_signed_in(client: Client) -> bool:
    return "Sign out" in (await client.get("/")).text


def with_cookie(settings, cookie: str) -> Client:
    """Another browser holding a copy of a session cookie."""
    thief = Client(settings.site_url)
    thief.cookies["session"] = cookie
    return thief


async def test_a_copied_session_cookie_stops_working_when_its_browser_signs_out(client, outbox, settings, db):
    laptop = Client(settings.site_url)
    await sign_in(client, outbox)
    await sign_in(laptop, outbox)   # ada, signed in on a second browser
    copied = client.cookies["session"]
    thief = with_cookie(settings, copied)
    try:
        assert await is_signed_in(thief)   # the copy works while the session lasts...
        response = await client.post("/logout")
        assert response.code == 303 and "session" not in client.cookies
        assert not await is_signed_in(thief)   # ...and not a moment after
        assert (await thief.get("/account")).code == 302
        assert await is_signed_in(laptop)   # the other session of the same person stays
        assert await db.sessions.count_documents({}) == 1
    finally:
        laptop.close()
        thief.close()


async def test_only_the_hash_of_the_session_id_is_stored(client, outbox, settings, db):
    await sign_in(client, outbox)
    [session] = await db.sessions.find().to_list()
    user = await db.users.find_one({"email": "ada@example.com"})
    assert session["user_id"] == user["_id"] and session["created_at"] == session["seen_at"]
    assert session["expires_at"] - session["created_at"] == datetime.timedelta(days=30)
    # The signed cookie holds "<user id>:<session id>"; the database only the id's SHA-256.
    value = tornado.web.decode_signed_value(settings.cookie_secret, "session", client.cookies["session"])
    user_id, _, session_id = value.decode().partition(":")
    assert user_id == str(user["_id"]) and len(session_id) >= 43   # 32 random bytes
    assert session["_id"] == hashlib.sha256(session_id.encode()).hexdigest()
    assert session_id not in str(session)


async def test_signing_in_again_in_the_same_browser_ends_its_old_session(client, outbox, settings, db):
    await sign_in(client, outbox)
    old = client.cookies["session"]
    await sign_in(client, outbox)
    assert client.cookies["session"] != old
    assert await db.sessions.count_documents({}) == 1
    thief = with_cookie(settings, old)
    try:
        assert not await is_signed_in(thief)
    finally:
        thief.close()


async def test_an_expired_session_signs_no_one_in(signed_in, db):
    await db.sessions.update_many({}, {"$set": {"expires_at": ago(seconds=1)}})
    assert not await is_signed_in(signed_in)


async def test_a_session_of_a_removed_account_signs_no_one_in(signed_in, db):
    await db.users.delete_many({})
    assert not await is_signed_in(signed_in)


async def test_last_seen_is_written_at_most_hourly(signed_in, db):
    [session] = await db.sessions.find().to_list()
    await signed_in.get("/")
    assert (await db.sessions.find_one())["seen_at"] == session["seen_at"]   # no write per request
    await db.sessions.update_many({}, {"$set": {"seen_at": ago(hours=2)}})
    await asyncio.sleep(SESSION_CACHE_SECONDS + 0.1)   # past the remembered lookup
    await signed_in.get("/")
    assert (await db.sessions.find_one())["seen_at"] > ago(minutes=1)


async def test_a_cookie_from_before_sessions_were_stored_signs_no_one_in(signed_in, settings, db):
    """The old cookie named "<user id>:<session version>"; a signed copy of that is refused."""
    user = await db.users.find_one()
    old = tornado.web.create_signed_value(settings.cookie_secret, "session", f"{user['_id']}:0").decode()
    thief = with_cookie(settings, old)
    try:
        assert not await is_signed_in(thief)
    finally:
        thief.close()
