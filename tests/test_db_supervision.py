"""The site supervises its embedded database: a dead or frozen database comes back by itself, nothing acknowledged is lost."""

import asyncio
import os
import signal
import time

from tests.client import Client
from tests.conftest import HELLO_GIST, Outbox, sign_in
from tests.program import program  # noqa: F401 - a fixture


async def recovery_seconds(program, since: float) -> float:
    assert await program.healthy_within(15), program.log()
    return time.monotonic() - since


async def test_a_killed_database_under_load_comes_back_within_5_s_and_loses_no_acknowledged_comment(program):
    await program.start()
    people = [Client(program.url) for _ in range(3)]
    for n, person in enumerate(people):
        await sign_in(person, Outbox(program.data_dir / "outbox"), f"writer{n}@example.com")
    assert (await people[0].post("/gists", {"url": HELLO_GIST})).code == 303
    acknowledged, answers = [], set()

    async def write(person, n):
        for i in range(9):  # under the limit of 10 comments a minute
            body = f"comment {n}-{i}"
            response = await person.post(f"/gists/{HELLO_GIST}/comments", {"body": body})
            answers.add(response.code)
            if response.code == 303:
                acknowledged.append(body)
            await asyncio.sleep(0.3)

    writers = asyncio.gather(*(write(person, n) for n, person in enumerate(people)))
    await asyncio.sleep(0.8)
    os.kill(program.database_pids()[0], signal.SIGKILL)
    killed = time.monotonic()
    assert await recovery_seconds(program, killed) <= 5
    await writers
    assert answers <= {303, 503}, answers  # never a 500
    assert 0 < len(acknowledged)
    page = (await people[1].get(f"/gists/{HELLO_GIST}")).text
    assert [body for body in acknowledged if body not in page] == []
    assert "embedded database restarting (restart 1): it exited with status -9" in program.log()


async def test_a_frozen_database_is_restarted_and_pages_answer_503_meanwhile(program):
    await program.start()
    os.kill(program.database_pids()[0], signal.SIGSTOP)
    frozen = time.monotonic()
    visitor = Client(program.url)
    home = await visitor.get("/")
    assert home.code in (200, 503), home.code
    if home.code == 503:
        assert "The database is not answering right now" in home.text and "Traceback" not in home.text
    assert await recovery_seconds(program, frozen) <= 10
    assert (await visitor.get("/")).code == 200
    assert "it did not answer a ping for 3 s" in program.log()


async def test_healthz_names_the_database_while_it_is_away(program):
    await program.start()
    os.kill(program.database_pids()[0], signal.SIGSTOP)
    visitor = Client(program.url)
    seen = set()
    for _ in range(40):
        response = await visitor.get("/healthz")
        seen.add((response.code, response.json()["database"]))
        if response.code == 503:
            break
        await asyncio.sleep(0.1)
    assert (503, "not answering") in seen or (503, "restarting") in seen, seen


async def test_sigterm_stops_the_site_within_10_s_with_a_frozen_database_and_leaves_no_child(program):
    await program.start()
    child = program.database_pids()[0]
    os.kill(child, signal.SIGSTOP)
    asked = time.monotonic()
    assert await program.stop() == 0
    assert time.monotonic() - asked <= 10
    assert program.database_pids() == []


async def test_the_database_child_ends_when_the_site_is_killed(program):
    await program.start()
    program.process.kill()
    program.process.wait()
    for _ in range(50):
        if not program.database_pids():
            break
        await asyncio.sleep(0.1)
    assert program.database_pids() == []
