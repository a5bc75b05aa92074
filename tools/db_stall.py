"""Reproduce the embedded database's stall: sessions ended while their writes still run.

PyMongo ends its pooled sessions (`endSessions`) when a client closes, and a client is
often closed right after cancelling a task that was in the middle of a write. Against an
unpatched mongoeco wire server this leaves the SQLite engine's transaction open and the
server stops answering. Usage:

    python tools/db_stall.py [--unpatched] [--rounds N]

Exit status 0 when every round made progress, 1 when the server stalled (no answer
for 10 s).
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from pymongo import AsyncMongoClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tornadogists.db.embedded_db import EmbeddedDatabase  # noqa: E402

STALL_SECONDS = 10


async def writes_cut_short(uri: str, round_no: int) -> None:
    """Many writers on one client; cancel them mid-write, then close the client (endSessions)."""
    client = AsyncMongoClient(uri, maxPoolSize=20)
    things = client.stall.things

    async def writer(n: int) -> None:
        for i in range(1000):
            await things.find_one_and_update({"_id": n}, {"$inc": {"i": 1}}, upsert=True)
            await things.insert_one({"round": round_no, "writer": n, "i": i, "pad": "x" * 200})

    tasks = [asyncio.create_task(writer(n)) for n in range(16)]
    await asyncio.sleep(0.05 + (round_no % 5) * 0.02)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.close()


async def answers(uri: str) -> bool:
    """True when a fresh client can write and read back within STALL_SECONDS."""
    client = AsyncMongoClient(uri, serverSelectionTimeoutMS=2000)
    result = await client.stall.probe.insert_one({"at": time.time()})
    found = await client.stall.probe.find_one({"_id": result.inserted_id})
    await client.close()
    return found is not None


async def made_progress(uri: str, round_no: int) -> bool:
    try:
        async with asyncio.timeout(STALL_SECONDS):
            await writes_cut_short(uri, round_no)
            return await answers(uri)
    except TimeoutError:
        return False


async def run(rounds: int, patched: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="tornadogists-stall-") as directory:
        database = EmbeddedDatabase(Path(directory) / "stall.sqlite", patched=patched).start()
        try:
            for round_no in range(rounds):
                if not await made_progress(database.uri, round_no):
                    print(f"stalled after round {round_no + 1}: no answer for {STALL_SECONDS} s")
                    return 1
            print(f"{rounds} rounds, the server answered after each")
            return 0
        finally:
            database.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unpatched", action="store_true", help="run mongoeco without our fix")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    return asyncio.run(run(args.rounds, patched=not args.unpatched))


if __name__ == "__main__":
    sys.exit(main())
