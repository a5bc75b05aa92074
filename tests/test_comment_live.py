"""Live discussion: a WebSocket per open gist page, fed through the database from any process."""

import asyncio
import dataclasses
import json
import time

import pytest_asyncio
import tornado.testing
import tornado.websocket
from tornado.httpclient import HTTPClientError, HTTPRequest

from tests.client import Client
from tests.discussion import HELLO, comment, submit
from tests.html_checks import active_content
from tornadogists.server import Site


@pytest_asyncio.fixture
async def second_site(settings):
    """Another process of the same site: its own port and poller, the same database."""
    sock, port = tornado.testing.bind_unused_port()
    other = await Site(dataclasses.replace(settings, port=port, site_url=f"http://127.0.0.1:{port}")).open()
    other.listen(sockets=[sock])
    yield other
    await other.close()
    sock.close()


def client_on(site_url: str, like: Client) -> Client:
    """A client for another process carrying the same cookies: the same person, signed in."""
    other = Client(site_url)
    other.cookies = dict(like.cookies)
    return other


async def connect(site_url: str, gist_id: str = HELLO, since: int | None = None, cookies: dict | None = None,
                  origin: str | None = None, query: str = ""):
    url = site_url.replace("http://", "ws://") + f"/gists/{gist_id}/live"
    if since is not None:
        url += f"?since={since}{query}"
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if origin:
        headers["Origin"] = origin
    return await tornado.websocket.websocket_connect(HTTPRequest(url, headers=headers))


async def next_message(ws, timeout: float = 5) -> dict:
    message = await asyncio.wait_for(ws.read_message(), timeout)
    assert message is not None, "the socket closed"
    return json.loads(message)


async def messages_until(ws, comment_id: str, kind: str = "new") -> list[dict]:
    seen = []
    while not any(m["id"] == comment_id and m["type"] == kind for m in seen):
        seen.append(await next_message(ws))
    return seen


def now_ms() -> int:
    return int(time.time() * 1000)


async def test_a_comment_posted_through_another_process_reaches_an_open_page(signed_in, settings, second_site):
    await submit(signed_in)
    ws = await connect(settings.site_url, since=now_ms(), cookies=signed_in.cookies)
    other = client_on(second_site.settings.site_url, signed_in)
    try:
        cid = await comment(other, "Live <script>alert(1)</script> **news**", file="hello.py", line="3")
        [message] = await messages_until(ws, cid)
        assert message["type"] == "new" and message["container"] is None
        assert message["line"] == {"file": 2, "line": 3}
        html = message["html"]
        assert f'id="comment-{cid}"' in html and "<strong>news</strong>" in html
        assert f'name="parent" value="{cid}"' in html   # rendered for this viewer: they may reply
        assert active_content(html) == []

        reply = await comment(other, "a reply", parent=cid)
        [message] = await messages_until(ws, reply)
        assert message["container"] == cid and message["line"] is None

        response = await other.post(f"/gists/{HELLO}/comments/{reply}/edit", {"body": "an *edited* reply"})
        assert response.code == 303
        [message] = await messages_until(ws, reply, "edited")
        assert "<em>edited</em>" in message["html"]

        assert (await other.post(f"/gists/{HELLO}/comments/{reply}/delete")).code == 303
        [message] = await messages_until(ws, reply, "deleted")
        assert "[deleted]" in message["html"] and "edited" not in message["html"]
    finally:
        ws.close()
        other.close()


async def test_a_reconnecting_page_gets_what_it_missed(signed_in, settings, second_site):
    await submit(signed_in)
    ws = await connect(settings.site_url, since=now_ms())
    other = client_on(second_site.settings.site_url, signed_in)
    try:
        first = await comment(other, "before the drop")
        [message] = await messages_until(ws, first)
        assert "Reply</summary>" not in message["html"]   # an anonymous viewer gets no reply form
        ws.close()
        missed = await comment(other, "while away")
        ws = await connect(settings.site_url, since=message["at"])
        received = await messages_until(ws, missed)
        assert [m["id"] for m in received].count(missed) == 1
    finally:
        ws.close()
        other.close()


async def test_a_socket_from_another_site_is_refused(signed_in, settings):
    await submit(signed_in)
    try:
        await connect(settings.site_url, origin="https://evil.example")
        raise AssertionError("a cross-origin socket was accepted")
    except HTTPClientError as error:
        assert error.code == 403
    ws = await connect(settings.site_url, origin=settings.site_url)
    ws.close()


async def test_a_garbled_since_still_gives_a_working_socket(signed_in, settings):
    await submit(signed_in)
    for since in ("yesterday", "99999999999999999999", "-5", ""):
        ws = await connect(settings.site_url, since=since)
        try:
            later = await comment(signed_in, f"written while watching, since={since!r}")
            assert [m["id"] for m in await messages_until(ws, later)].count(later) == 1
        finally:
            ws.close()


async def test_a_socket_for_an_unknown_gist_is_404(site, settings):
    try:
        await connect(settings.site_url, gist_id="0123456789abcdef0123")
        raise AssertionError("a socket for an unknown gist was accepted")
    except HTTPClientError as error:
        assert error.code == 404


async def test_closing_a_site_closes_its_sockets_and_stops_its_tasks(signed_in, settings):
    await submit(signed_in)
    before = asyncio.all_tasks()
    sock, port = tornado.testing.bind_unused_port()
    other = await Site(dataclasses.replace(settings, port=port, site_url=f"http://127.0.0.1:{port}")).open()
    other.listen(sockets=[sock])
    ws = await connect(f"http://127.0.0.1:{port}", since=now_ms())
    await other.close()
    sock.close()
    assert await asyncio.wait_for(ws.read_message(), 5) is None   # closed by the server
    ws.close()
    await asyncio.sleep(0.1)
    left = [t for t in asyncio.all_tasks() - before if t is not asyncio.current_task() and not t.done()]
    assert left == []


async def test_a_deep_reply_arrives_saying_whom_it_answers(signed_in, settings):
    await submit(signed_in)
    ws = await connect(settings.site_url, since=now_ms())
    try:
        parent = None
        for n in range(4):
            parent = await comment(signed_in, f"level {n + 1}", **({"parent": parent} if parent else {}))
        [message] = (await messages_until(ws, parent))[-1:]
        assert "in reply to" in message["html"] and ">ada</a>" in message["html"]
    finally:
        ws.close()
