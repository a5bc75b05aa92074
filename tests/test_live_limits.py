"""Live sockets under attack: replays capped, slow readers dropped, a cap on sockets per address."""

import asyncio
import contextlib
import dataclasses
import datetime
import re

import pytest
import pytest_asyncio

from tests import raw_sockets
from tests.discussion import HELLO, comment, submit
from tests.test_comment_live import connect, next_message, now_ms

BIG = 20_000   # characters in a comment, the most allowed; the were ~20 KB


@pytest.fixture
def settings(settings, request):
    """The site's settings with this test's changes (given by `indirect` parametrize)."""
    return dataclasses.replace(settings, **getattr(request, "param", {}))


async def post_big_comments(client, db, count: int) -> None:
    for n in range(count):
        if n % 10 == 0:
            await db.rate_limits.delete_many({})   # ten comments a minute per person
        await comment(client, f"comment {n}: " + "lorem ipsum " * (BIG // 12 - 2))


@pytest_asyncio.fixture
async def big_gist(signed_in, db):
    """HELLO with 40 comments of ~20 KB: about 800 KB of history for a page asking since=0."""
    await submit(signed_in)
    await post_big_comments(signed_in, db, 40)
    # Written an hour ago, as the were: what a socket gets is the replay, not fresh news.
    an_hour_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    await db.comments.update_many({"gist_id": HELLO}, {"$set": {"updated_at": an_hour_ago}})
    return HELLO


async def healthz_answers_within_a_second(client) -> None:
    response = await asyncio.wait_for(client.get("/healthz"), 1)
    assert response.code == 200


async def test_a_page_that_missed_too_much_is_told_to_reload(big_gist, signed_in, settings, db):
    ws = await connect(settings.site_url, since=0)
    try:
        # The page's script shows "reload the page to see what changed" for this message.
        assert await next_message(ws) == {"type": "reload"}
        with pytest.raises(TimeoutError):
            await next_message(ws, timeout=1)   # and none of the 40 comments follows it
        await db.rate_limits.delete_many({})
        later = await comment(signed_in, "news after the reload notice")
        assert (await next_message(ws))["id"] == later   # the socket stays open for what comes next
    finally:
        ws.close()


@pytest.mark.parametrize("settings", [{"live_sockets_per_ip": 10}], indirect=True)
async def test_sockets_that_never_read_are_capped_per_address_and_the_site_stays_responsive(
        big_gist, settings, client):
    path = f"/gists/{big_gist}/live?since=0"
    opened = await asyncio.gather(*[raw_sockets.open_websocket(settings.port, path) for _ in range(12)])
    socks = [sock for _, sock in opened]
    try:
        await healthz_answers_within_a_second(client)
        assert sorted(code for code, _ in opened) == [101] * 10 + [429] * 2
        # A socket that goes away frees its place.
        accepted = next(sock for code, sock in opened if code == 101)
        accepted.close()
        for _ in range(50):
            code, sock = await raw_sockets.open_websocket(settings.port, path)
            socks.append(sock)
            if code == 101:
                break
            await asyncio.sleep(0.1)
        assert code == 101
        await healthz_answers_within_a_second(client)
    finally:
        raw_sockets.close_all(socks)


@pytest.mark.parametrize("settings", [{"live_buffer_bytes": 64 * 1024}], indirect=True)
async def test_a_reader_that_falls_behind_is_closed(signed_in, settings, db, client):
    await submit(signed_in)
    code, sock = await raw_sockets.open_websocket(settings.port, f"/gists/{HELLO}/live?since={now_ms()}")
    assert code == 101
    try:
        await post_big_comments(signed_in, db, 15)   # ~300 KB pushed at a socket that reads nothing
        await asyncio.sleep(1.5)                     # the poller passes them on twice a second
        await healthz_answers_within_a_second(client)
        received = await raw_sockets.read_until_closed(sock, timeout=10)
        assert received < 15 * BIG
    finally:
        sock.close()


async def messages_for(ws, seconds: float) -> list[dict]:
    seen = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                seen.append(await next_message(ws, timeout=seconds))
    return seen


async def test_a_page_built_after_many_changes_is_not_told_to_reload(signed_in, settings, db):
    """Many comments (130 brought from GitHub) just before the page was built: the page shows them all,
    so its socket replays nothing, on every view of the cached page (issue 18 item 7)."""
    await submit(signed_in)
    await post_big_comments(signed_in, db, 15)   # more than a replay carries, all written just now
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    since = re.search(r'data-since="(\d+)"', page).group(1)
    version = re.search(r'data-version="(\d+)"', page).group(1)
    for _ in range(2):   # the cached page, viewed again: the same answer
        ws = await connect(settings.site_url, since=int(since), query=f"&version={version}")
        try:
            # (the poller may still pass on the comments of the last seconds: the page updates them in place)
            assert "reload" not in [message["type"] for message in await messages_for(ws, 1.5)]
        finally:
            ws.close()
    stale = await connect(settings.site_url, since=int(since), query=f"&version={int(version) - 1}")
    try:
        assert await next_message(stale) == {"type": "reload"}   # a page from before them is told
    finally:
        stale.close()
