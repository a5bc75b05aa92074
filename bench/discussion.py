"""Benchmark: posting comments, a gist page with a long thread, and live delivery between two processes.

    .venv/bin/python bench/discussion.py [--comments=200]

Two Sites (as two processes of the site would be) share one embedded database; comments
are posted through the second and watched on a WebSocket of the first.
"""

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

import tornado.testing
import tornado.websocket

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.client import Client  # noqa: E402
from tests.conftest import Outbox, sign_in  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402
from tornadogists.config import Settings  # noqa: E402
from tornadogists.db.embedded_db import EmbeddedDatabase  # noqa: E402
from tornadogists.server import Site  # noqa: E402

GIST = "aa5a315d61ae9438b18d"


async def start_site(settings: Settings) -> Site:
    sock, port = tornado.testing.bind_unused_port()
    site = await Site(dataclasses.replace(settings, port=port, site_url=f"http://127.0.0.1:{port}")).open()
    site.listen(sockets=[sock])
    return site


def summary(name: str, seconds: list[float]) -> str:
    seconds = sorted(seconds)
    p50, p95 = seconds[len(seconds) // 2], seconds[int(len(seconds) * 0.95)]
    return f"{name:48} n={len(seconds):4}  p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


async def people(site: Site, outbox: Outbox, count: int) -> list[Client]:
    clients = []
    for n in range(count):
        client = Client(site.settings.site_url)
        await sign_in(client, outbox, f"p{n}@example.com")
        clients.append(client)
    return clients


async def main(comments: int) -> None:
    fake = FakeGitHub()
    await fake.start()
    with tempfile.TemporaryDirectory() as data_dir:
        db = EmbeddedDatabase(Path(data_dir) / "bench.sqlite").start()
        settings = Settings(data_dir=data_dir, mongodb_uri=db.uri, cookie_secret="bench", mail_backend="file",
                            github_api_url=fake.base_url, github_oauth_url=fake.base_url)
        first, second = await start_site(settings), await start_site(settings)
        try:
            writers = await people(second, Outbox(Path(data_dir) / "outbox"), max(1, comments // 10))
            await writers[0].post("/gists", {"url": GIST})
            url = first.settings.site_url.replace("http", "ws") + f"/gists/{GIST}/live?since={int(time.time() * 1000)}"
            ws = await tornado.websocket.websocket_connect(url)
            posting, live = [], []
            for n in range(comments):
                started = time.perf_counter()
                response = await writers[n // 10].post(f"/gists/{GIST}/comments", {"body": f"comment **{n}**"})
                posted = time.perf_counter()
                assert response.code == 303, response.code
                message = json.loads(await ws.read_message())
                posting.append(posted - started)
                live.append(time.perf_counter() - posted)
            ws.close()
            print(summary("POST a comment (render, guard, limit, insert, $inc)", posting))
            print(summary("posted on process 2 -> pushed by process 1", live))
            reader = Client(first.settings.site_url)
            pages = []
            for _ in range(50):
                started = time.perf_counter()
                assert (await reader.get(f"/gists/{GIST}")).code == 200
                pages.append(time.perf_counter() - started)
            print(summary(f"GET the gist page with {comments} comments", pages))
        finally:
            await first.close()
            await second.close()
            db.stop()
            fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200)
    asyncio.run(main(parser.parse_args().comments))
