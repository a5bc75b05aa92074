"""The embedded database itself: the endSessions stall is gone, acknowledged writes are on disk, the patch is guarded."""

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time

import pytest
from bson import Int64, ObjectId
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from tests.program import ROOT
from tornadogists.embedded_db import EmbeddedDatabase


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


def test_the_patch_refuses_a_mongoeco_it_was_not_checked_against():
    code = ("import mongoeco; mongoeco.__version__ = '4.99.0'\n"
            "from tornadogists import mongoeco_patch; mongoeco_patch.apply()")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "UnsupportedMongoeco: mongoeco 4.99.0 is not a version" in result.stderr


async def test_the_database_child_stops_when_its_parent_goes_away(tmp_path):
    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    database.process.stdin.close()  # what the parent's death does to the pipe
    try:
        code = await asyncio.to_thread(database.process.wait, 10)
        assert code == 0
    finally:
        database.stop()


async def _median_insert_seconds(collection, count: int = 15) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        await collection.insert_one({"body": "x" * 200, "key": os.urandom(8).hex()})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _insert_times(database_path, patched: bool = True) -> tuple[float, float]:
    """Median single-insert time, at 100 and at 5,000 documents (no unique index but _id's: comments have none)."""
    database = EmbeddedDatabase(database_path, patched=patched).start()
    try:
        client = AsyncMongoClient(database.uri)
        collection = client.scale.comments
        await collection.insert_many([{"body": "x" * 200, "key": f"a{n}"} for n in range(100)])
        at_100 = await _median_insert_seconds(collection)
        for start in range(100, 5000, 1000):
            await collection.insert_many([{"body": "x" * 200, "key": f"a{n}"} for n in range(start, start + 1000)])
        at_5000 = await _median_insert_seconds(collection)
        await client.close()
        return at_100, at_5000
    finally:
        database.stop()


async def test_an_insert_costs_the_same_at_5000_documents_as_at_100(tmp_path):
    # Unpatched, the engine reads every document to check a new _id: 20x slower at 5,000 (issue 17).
    at_100, at_5000 = await _insert_times(tmp_path / "db.sqlite")
    assert at_5000 < 3 * at_100, f"{at_100 * 1000:.1f} ms at 100 documents, {at_5000 * 1000:.1f} ms at 5,000"


async def test_equal_ids_are_still_refused_whatever_their_storage(tmp_path):
    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    try:
        client = AsyncMongoClient(database.uri)
        collection = client.ids.things
        object_id = ObjectId()
        await collection.insert_many([{"_id": "ada"}, {"_id": object_id}, {"_id": 1}, {"_id": {"n": 2}}])
        for same in ("ada", object_id, 1.0, Int64(1), {"n": 2.0}):
            with pytest.raises(DuplicateKeyError):
                await collection.insert_one({"_id": same})
        await collection.insert_one({"_id": str(object_id)})   # a string is not its ObjectId
        assert await collection.count_documents({}) == 5
        await client.close()
    finally:
        database.stop()
