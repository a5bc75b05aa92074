"""Slow and oversized requests: connections that dawdle are closed, bodies over a megabyte refused unread."""

import asyncio
import contextlib
import dataclasses

import pytest

from tests import raw_sockets

SLOW = {"idle_timeout_seconds": 2, "body_timeout_seconds": 2}


@pytest.fixture
def settings(settings, request):
    """The site's settings with this test's changes (given by `indirect` parametrize)."""
    return dataclasses.replace(settings, **getattr(request, "param", {}))


async def trickle(socks, data: bytes, every: float) -> None:
    """Send `data` a byte at a time on every socket, `every` seconds apart, until each is closed."""
    open_socks = list(socks)
    for byte in data:
        await asyncio.sleep(every)
        sent = await asyncio.gather(*[raw_sockets.send(sock, bytes([byte])) for sock in open_socks])
        open_socks = [sock for sock, ok in zip(open_socks, sent) if ok]


async def all_closed_within(socks, seconds: float) -> None:
    await asyncio.gather(*[raw_sockets.read_until_closed(sock, seconds) for sock in socks])


@contextlib.asynccontextmanager
async def running(task_coroutine):
    task = asyncio.create_task(task_coroutine)
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.mark.parametrize("settings", [SLOW], indirect=True)
async def test_connections_sending_half_a_header_a_byte_at_a_time_are_closed(site, settings, client):
    socks = [await raw_sockets.connect(settings.port) for _ in range(200)]
    try:
        for sock in socks[:150]:
            await raw_sockets.send(sock, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        # The clients sent a byte every 5 s; faster than the timeout shows a byte does not reset it.
        async with running(trickle(socks[:150], b"a" * 100, every=0.5)):
            response = await asyncio.wait_for(client.get("/healthz"), 1)
            assert response.code == 200
            await all_closed_within(socks, 2 + 4)   # the other 50 never sent a byte
        response = await asyncio.wait_for(client.get("/healthz"), 1)
        assert response.code == 200
    finally:
        raw_sockets.close_all(socks)


@pytest.mark.parametrize("settings", [SLOW], indirect=True)
async def test_a_body_sent_a_byte_at_a_time_is_cut_off(site, settings):
    sock = await raw_sockets.connect(settings.port)
    try:
        await raw_sockets.send(sock, b"POST /preview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
        async with running(trickle([sock], b"b" * 100, every=0.5)):
            await all_closed_within([sock], 2 + 4)
    finally:
        sock.close()


async def test_a_body_over_a_megabyte_is_refused_before_it_is_read(site, settings):
    sock = await raw_sockets.connect(settings.port)
    try:
        await raw_sockets.send(sock, b"POST /preview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                                     b"Content-Length: 2000000\r\n\r\nbody=")
        assert raw_sockets.status(await raw_sockets.read_head(sock)) == 400
        await all_closed_within([sock], 2)
    finally:
        sock.close()
