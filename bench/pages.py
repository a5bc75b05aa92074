"""Benchmark: requests/s and latency of the main pages, served by `run.py` with the embedded database.

    make bench            # or: .venv/bin/python bench/pages.py [--requests=400] [--concurrency=10]

Starts the whole program in a child process (as `make run` does) against the fake
GitHub, imports a few gists, then fetches each page many times from this process.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.client import Client  # noqa: E402
from tests.conftest import Outbox, sign_in  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402
from tests.test_restart import RunPy  # noqa: E402

GISTS = ["aa5a315d61ae9438b18d", "bb6b426e72bf0549c29e", "cc7c537f83c0650ad3af"]


async def measure(client: Client, path: str, requests: int, concurrency: int) -> str:
    latencies = []

    async def worker(count):
        for _ in range(count):
            started = time.perf_counter()
            response = await client.get(path)
            assert response.code == 200, (path, response.code)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker(requests // concurrency) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95)]
    return f"{path:45} {len(latencies) / elapsed:8.1f} req/s   p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


async def main(requests: int, concurrency: int) -> None:
    fake = FakeGitHub()
    await fake.start()
    with tempfile.TemporaryDirectory() as data_dir:
        program = RunPy(Path(data_dir), fake.base_url)
        started = time.perf_counter()
        await program.start()
        print(f"start-up to first healthy answer: {time.perf_counter() - started:.2f} s")
        client = Client(program.url)
        await sign_in(client, Outbox(Path(data_dir) / "outbox"), "bench@example.com")
        for gist_id in GISTS:
            await client.post("/gists", {"url": gist_id})
        anonymous = Client(program.url)
        paths = ["/", f"/gists/{GISTS[0]}", f"/gists/{GISTS[1]}", f"/gists/{GISTS[1]}/raw/big.js", "/healthz"]
        print(f"{requests} requests a page, {concurrency} at a time")
        for path in paths:
            print(await measure(anonymous, path, requests, concurrency))
        await program.stop()
    fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency))
