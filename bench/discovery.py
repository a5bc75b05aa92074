"""Benchmark: listings, tags, people, profiles, search, feeds and loves on a crafted site.

    .venv/bin/python bench/discovery.py [--gists=500] [--requests=400] [--concurrency=10]

One Site on an embedded database, filled straight through the database with gists,
comments and loves. For each page: the first (uncached) answer, then requests/s and
latency over many requests (listings, tags, people and feeds are cached a few seconds).
"""

import argparse
import asyncio
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path

import tornado.testing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import measure  # noqa: E402
from tests.client import Client  # noqa: E402
from tests.crafted import client_for, days_ago, gist_id, make_comment, make_gist, make_love, make_user  # noqa: E402
from tornadogists.config import Settings  # noqa: E402
from tornadogists.db.embedded_db import EmbeddedDatabase  # noqa: E402
from tornadogists.server import Site  # noqa: E402

TAGS = ["python", "tornado", "asyncio", "go", "rust", "web", "cli", "data", "c#", "c++", "sql", "bash"]
WORDS = ["quokka", "marmot", "numbat", "wombat", "handler", "request", "cursor", "socket"]


async def fill(db, gists: int) -> None:
    rng = random.Random(5)
    people = [await make_user(db, f"person{n}") for n in range(40)]
    for n in range(gists):
        body = "\n".join(f"def {rng.choice(WORDS)}_{i}(x):\n    return x * {i}" for i in range(40))
        await make_gist(db, gist_id(n), rng.choice(people), f"Gist {n} about {rng.choice(WORDS)}",
                        tags=rng.sample(TAGS, 3), files={"main.py": body}, submitted_at=days_ago(n / 10))
    for n in range(gists * 2):
        await make_comment(db, gist_id(rng.randrange(gists)), rng.choice(people),
                           f"A remark on the {rng.choice(WORDS)}.", created_at=days_ago(rng.random() * 60))
    for person in people:
        for n in rng.sample(range(gists), 10):
            await make_love(db, gist_id(n), person)


async def main(gists: int, requests: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        database = EmbeddedDatabase(Path(data_dir) / "bench.sqlite").start()
        sock, port = tornado.testing.bind_unused_port()
        settings = Settings(port=port, site_url=f"http://127.0.0.1:{port}", data_dir=data_dir,
                            mongodb_uri=database.uri, cookie_secret="bench", mail_backend="file")
        site = await Site(dataclasses.replace(settings)).open()
        site.listen(sockets=[sock])
        started = time.perf_counter()
        await fill(site.db, gists)
        print(f"filled {gists} gists, {gists * 2} comments, 400 loves in {time.perf_counter() - started:.1f} s")
        anonymous = Client(settings.site_url)
        paths = ["/", "/?sort=latest", "/?sort=hot&page=5", "/?sort=latest&page=5",
                 "/?sort=loved", "/?sort=discussed", "/?sort=discussed&page=3", "/tags", "/tags/python",
                 "/people", "/users/person1", "/users/person1/comments", "/users/person1/loved",
                 "/search?q=quokka", "/search?q=marmot+handler_7", "/feeds/gists.atom", "/feeds/gists.rss",
                 "/feeds/comments.atom", "/tags/python/feed.atom", f"/gists/{gist_id(1)}/comments.atom",
                 "/sitemap.xml", "/languages", "/languages/python", "/feeds/hot.atom",
                 "/feeds/languages/python.atom", f"/gists/{gist_id(1)}"]
        print(f"{requests} requests a page, {concurrency} at a time; first = the uncached answer")
        for path in paths:
            first = time.perf_counter()
            assert (await anonymous.get(path)).code == 200, path
            cold = (time.perf_counter() - first) * 1000
            print(f"first {cold:7.1f} ms   " + await measure(anonymous, path, requests, concurrency))
        lover = await client_for(settings, await site.db.users.find_one({"handle": "person2"}))
        started = time.perf_counter()
        await asyncio.gather(*(lover.post(f"/gists/{gist_id(n)}/love", headers={"Accept": "application/json"})
                               for n in range(50)))
        print(f"50 concurrent loves by one person on 50 gists: {time.perf_counter() - started:.2f} s")
        await site.close()
        database.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gists", type=int, default=500)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.gists, args.requests, args.concurrency))
