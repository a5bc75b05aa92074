"""Several worker processes (--processes=2): both serve, writes show everywhere, a dead worker is replaced, SIGTERM ends all."""

import asyncio
import os
import signal
import time

from tests.client import Client
from tests.conftest import HELLO_GIST, Outbox, sign_in
from tests.program import connections_held, two_workers  # noqa: F401 - a fixture
from tests.raw_sockets import connect, read_head, send
from tornadogists.processes import GIVE_UP_AFTER, Workers


def alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


async def get_retrying_a_reset(visitor: Client, path: str):
    """Linux resets a connection that was already queued on a killed worker's SO_REUSEPORT socket;
    a client (or nginx's proxy_next_upstream) asks again, and the worker still alive answers."""
    try:
        return await visitor.get(path)
    except ConnectionResetError:
        return await visitor.get(path)


async def test_both_workers_take_connections(two_workers):
    await two_workers.start()
    workers = await two_workers.workers_serving(2)
    assert two_workers.process.pid not in workers
    sockets = [await connect(two_workers.port) for _ in range(20)]
    for sock in sockets:  # a request answered on each: every connection has been accepted
        assert await send(sock, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await read_head(sock)).startswith(b"HTTP/1.1 200")
    held = [connections_held(pid, two_workers.port) for pid in workers]
    for sock in sockets:
        sock.close()
    assert sum(held) == 20 and min(held) > 0, held


async def test_a_comment_shows_on_pages_fetched_through_either_worker_within_2_s(two_workers):
    await two_workers.start()
    await two_workers.workers_serving(2)
    writer = Client(two_workers.url)
    await sign_in(writer, Outbox(two_workers.data_dir / "outbox"), "writer@example.com")
    assert (await writer.post("/gists", {"url": HELLO_GIST})).code == 303

    async def pages() -> list[str]:  # 10 fresh connections: both workers' cached pages are read
        readers = [Client(two_workers.url) for _ in range(10)]
        return [answer.text for answer in await asyncio.gather(*(r.get(f"/gists/{HELLO_GIST}") for r in readers))]

    assert all("Hello, Tornado" in page for page in await pages())
    assert (await writer.post(f"/gists/{HELLO_GIST}/comments", {"body": "Seen by both workers"})).code == 303
    posted = time.monotonic()
    assert "Seen by both workers" in (await writer.get(f"/gists/{HELLO_GIST}")).text  # its author: at once
    while not all("Seen by both workers" in page for page in await pages()):
        assert time.monotonic() - posted < 2, "a worker still shows the page without the comment"
        await asyncio.sleep(0.1)


async def test_a_killed_worker_is_replaced_and_the_site_keeps_answering(two_workers):
    await two_workers.start()
    first, second = await two_workers.workers_serving(2)
    os.kill(first, signal.SIGKILL)
    while alive(first):  # a zombie has closed its sockets already
        await asyncio.sleep(0.01)
    visitor = Client(two_workers.url)
    for _ in range(10):  # the other worker answers meanwhile
        assert (await get_retrying_a_reset(visitor, "/healthz")).code == 200
    replaced = await two_workers.workers_serving(2)
    assert second in replaced and first not in replaced
    assert f"(pid {first}) exited with status -9; starting another" in two_workers.log()
    assert (await visitor.get("/")).code == 200


async def test_each_queued_mail_is_sent_once_with_two_senders(two_workers):
    await two_workers.start()
    await two_workers.workers_serving(2)
    outbox = Outbox(two_workers.data_dir / "outbox")
    people = [Client(two_workers.url) for _ in range(8)]
    answers = await asyncio.gather(*(person.post("/auth/email", {"email": f"p{n}@example.com", "next": "/"})
                                     for n, person in enumerate(people)))
    assert {answer.code for answer in answers} == {200}
    await outbox.wait_for(8)
    await asyncio.sleep(1)
    assert sorted(str(m["To"]) for m in outbox.messages()) == [f"p{n}@example.com" for n in range(8)]


async def test_sigterm_stops_workers_and_a_frozen_database_within_10_s_leaving_no_child(two_workers):
    await two_workers.start()
    children = await two_workers.workers_serving(2) + two_workers.database_pids()
    os.kill(two_workers.database_pids()[0], signal.SIGSTOP)
    asked = time.monotonic()
    assert await two_workers.stop() == 0
    assert time.monotonic() - asked <= 10
    assert [pid for pid in children if alive(pid)] == []


async def test_workers_and_database_end_when_the_parent_is_killed(two_workers):
    await two_workers.start()
    children = await two_workers.workers_serving(2) + two_workers.database_pids()
    two_workers.process.kill()
    two_workers.process.wait()
    for _ in range(100):
        if not any(alive(pid) for pid in children):
            break
        await asyncio.sleep(0.1)
    assert [pid for pid in children if alive(pid)] == []


async def test_workers_that_cannot_start_stop_the_site_instead_of_restarting_for_ever(caplog):
    gave_up = asyncio.Event()
    workers = Workers(1, ["--port=none"], give_up=gave_up.set)   # every start fails: a bad setting
    workers.start()
    await asyncio.wait_for(gave_up.wait(), 30)
    await workers.stop()
    assert workers.gave_up
    assert f"worker 0 exited {GIVE_UP_AFTER} times in a row right after starting; stopping" in caplog.text
