"""Benchmark: uncached search at 50,000 gists on the embedded default (SQLite FTS5 beside the data).

    .venv/bin/python bench/search_scale.py [--gists=50000] [--comments=500000] [--mongo-gists=1000] [--runs=7]

Puts `--mongo-gists` synthetic gists, their files and comments into a fresh embedded
database (insert_many, in batches) and builds the search index from them as a new site
would; then fills the index itself to `--gists` gists and `--comments` comments (writing it
as its catch-up does: seeding 50,000 gists through the embedded server takes far longer,
and a search reads no gist documents, only the index and one indexed range for its
catch-up). Times the search service, uncached (a fresh cache each run), for a common
word, a rare word, a word only in code, a phrase, a filter, a sort and in:comments.
bench/scale.py seeds a whole site through the storage layer; this one measures search alone.
"""

import argparse
import asyncio
import datetime
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bson import ObjectId
from pymongo import AsyncMongoClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tornadogists.config import Settings  # noqa: E402
from tornadogists.db.embedded_db import EmbeddedDatabase  # noqa: E402
from tornadogists.db.migrate import apply_migrations  # noqa: E402
from tornadogists.services.cache import TTLCache  # noqa: E402
from tornadogists.services.search import SearchService  # noqa: E402
from tornadogists.storage import Storage  # noqa: E402
from tornadogists.storage.gists import changed  # noqa: E402
from tornadogists.storage.search_index import _text  # noqa: E402
from tornadogists.text.search import search_fields  # noqa: E402

BATCH = 1000
LANGUAGES = ["Python", "Go", "Rust", "JavaScript", "Shell", "C++", "SQL", "Ruby"]
TAGS = ["python", "tornado", "asyncio", "go", "rust", "web", "cli", "data"] + [f"tag{n}" for n in range(400)]
VOCABULARY = [f"w{n:04d}x" for n in range(5000)]
SEARCHES = [
    ("common word", "tornado", ""),
    ("rare word", "quokkaish", ""),
    ("word only in code", "zebrahandler", ""),
    ("phrase", '"async handler"', ""),
    ("common word, language:go", "tornado language:go", ""),
    ("common word, newest", "tornado", "newest"),
    ("common word, in:comments", "tornado in:comments", ""),
]


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def synthetic_gist(n: int, rng: random.Random, people: list[str]) -> tuple[dict, dict]:
    """A gist and its files document, shaped as storage/gists.py stores them."""
    gist_id = f"{n:020x}"
    words = rng.choices(VOCABULARY, k=8) + (["tornado"] if rng.random() < 0.3 else [])
    lines = [" ".join(rng.choices(VOCABULARY, k=10)) for _ in range(rng.randint(20, 120))]
    if rng.random() < 0.01:
        lines.insert(rng.randrange(len(lines)), "class ZebraHandler(web.RequestHandler): pass")
    if rng.random() < 0.05:
        lines.append("an async handler for the tornado loop")
    if n % 10_000 == 7:
        words.append("quokkaish")
    language = rng.choice(LANGUAGES)
    files = [{"n": 1, "name": f"file{n}.py", "language": language, "kind": "text", "content": "\n".join(lines),
              "line_count": len(lines)}]
    at = now() - datetime.timedelta(minutes=n)
    handle = rng.choice(people)
    gist = {"gist_id": gist_id, "description": " ".join(words), "tags": rng.sample(TAGS, 3), "languages": [language],
            "submitter": {"id": handle, "handle": handle}, "owner": {"login": f"gh-{handle}"},
            "submitted_at": at, **changed(at), "version": 1, "loves": rng.randint(0, 50),
            "comment_count": 0, "file_count": 1, "deleted": False, "revision": "0" * 40,
            "file_names": search_fields(files)["file_names"]}
    return gist, {"_id": gist_id, "files": files, "search_text": search_fields(files)["search_text"]}


def synthetic_comments(count: int, gists: int, rng: random.Random, people: list[str]) -> list[dict]:
    return [{"_id": ObjectId(), "gist_id": f"{rng.randrange(gists):020x}", "body": " ".join(
                rng.choices(VOCABULARY, k=20) + (["tornado"] if rng.random() < 0.2 else [])),
             "author": {"id": "x", "handle": rng.choice(people)}, "created_at": now(), "updated_at": now(),
             "deleted": False} for _ in range(count)]


async def fill_mongo(db, gists: int, comments: int) -> None:
    """Real documents in the embedded server, in batches, so the index's catch-up reads a real collection."""
    rng, people = random.Random(17), [f"person{n}" for n in range(2000)]
    for start in range(0, gists, BATCH):
        pairs = [synthetic_gist(n, rng, people) for n in range(start, min(gists, start + BATCH))]
        await db.gist_files.insert_many([files for _, files in pairs])
        await db.gists.insert_many([gist for gist, _ in pairs])
    for start in range(0, comments, BATCH):
        await db.comments.insert_many(synthetic_comments(min(BATCH, comments - start), gists, rng, people))


async def fill_index(index, gists: int, comments: int) -> None:
    """The search index as a site of `gists` gists has it, written as its catch-up writes it."""
    rng, people = random.Random(18), [f"person{n}" for n in range(20_000)]
    for start in range(0, gists, BATCH):
        pairs = [synthetic_gist(n, rng, people) for n in range(start, min(gists, start + BATCH))]
        await index._run(index._put_gists, [gist for gist, _ in pairs],
                         {gist["gist_id"]: _text(files["files"]) for gist, files in pairs})
    for start in range(0, comments, BATCH):
        await index._run(index._put_comments, synthetic_comments(min(BATCH, comments - start), gists, rng, people), [])
    await index._run(index._set_state, "changed_ms", int(time.time() * 1000))


async def timed(function) -> float:
    started = time.perf_counter()
    await function()
    return (time.perf_counter() - started) * 1000


async def main(gists: int, comments: int, mongo_gists: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        database = EmbeddedDatabase(Path(data_dir) / "mongo.sqlite").start()
        client = AsyncMongoClient(database.uri, tz_aware=True)
        try:
            db = client.bench
            await apply_migrations(db)
            started = time.perf_counter()
            await fill_mongo(db, mongo_gists, mongo_gists * 2)
            print(f"MongoDB (embedded): {mongo_gists} gists, {mongo_gists * 2} comments "
                  f"in {time.perf_counter() - started:.0f} s")
            storage = Storage(db, Path(data_dir) / "search-bench.sqlite")
            print(f"index built from those by the catch-up: {await timed(storage.search.sync) / 1000:.1f} s")
            started = time.perf_counter()
            await fill_index(storage.search, gists, comments)
            print(f"index filled to {gists} gists, {comments} comments in {time.perf_counter() - started:.0f} s, "
                  f"{storage.search.path.stat().st_size / 1e6:.0f} MB")
            print(f"catch-up when nothing changed: {await timed(storage.search.sync):.0f} ms")
            settings = Settings(search_rate_limit=1_000_000)
            print(f"{'uncached search':32} {'median ms':>10} {'max ms':>8} {'found':>7}")
            for name, query, sort in SEARCHES:
                times = []
                for _ in range(runs):   # a fresh cache: every run is uncached
                    service = SearchService(storage, TTLCache(seconds=5), 20, settings, now)
                    times.append(await timed(lambda: service.search(query, 1, sort=sort)))
                found = (await service.search(query, 1, sort=sort))["total"]
                print(f"{name:32} {statistics.median(times):10.0f} {max(times):8.0f} {found:7}")
            await storage.search.close()
        finally:
            await client.close()
            database.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gists", type=int, default=50_000)
    parser.add_argument("--comments", type=int, default=500_000)
    parser.add_argument("--mongo-gists", type=int, default=1000, help="real documents behind the catch-up")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(main(args.gists, args.comments, args.mongo_gists, args.runs))
