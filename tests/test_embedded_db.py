"""The embedded database itself: the endSessions stall is gone, acknowledged writes are on disk, the patch is guarded."""

import asyncio
import os
import signal
import subprocess
import sys

from pymongo import AsyncMongoClient

from tests.program import ROOT
from tornadogists.db.embedded_db import EmbeddedDatabase


async def test_sessions_ended_mid_write_do_not_stall_the_database():
    # tools/db_stall.py stalls an unpatched server within a few rounds (see its docstring).
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "tools/db_stall.py", "--rounds", "15"],
                                     cwd=ROOT, capture_output=True, text=True, timeout=50)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "15 rounds, the server answered after each" in result.stdout


async def test_acknowledged_writes_survive_a_kill_after_sessions_were_ended_mid_write(tmp_path):
    from tools.db_stall import writes_cut_short

    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    try:
        for round_no in range(5):
            await asyncio.wait_for(writes_cut_short(database.uri, round_no), 10)
        client = AsyncMongoClient(database.uri)
        for n in range(50):
            await client.kept.writes.insert_one({"n": n})
        await client.close()
        os.kill(database.pid, signal.SIGKILL)  # no chance to commit anything left open
        database.process.wait()
        database.restart()
        fresh = AsyncMongoClient(database.uri)
        assert sorted(await fresh.kept.writes.distinct("n")) == list(range(50))
        await fresh.close()
    finally:
        database.stop()


async def test_the_database_child_stops_when_its_parent_goes_away(tmp_path):
    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    database.process.stdin.close()  # what the parent's death does to the pipe
    try:
        code = await asyncio.to_thread(database.process.wait, 10)
        assert code == 0
    finally:
        database.stop()
