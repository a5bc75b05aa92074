"""Benchmark: the site after a year of content (issue 17), at 1,000 gists and at N.

    make bench-scale     # or: .venv/bin/python bench/scale.py [--gists=50000] [--small=1000] [--keep=DIR]

For each size: seeds a fresh data directory through the storage layer (bench/seed.py),
starts the whole program as `make run` does (`run.py`, embedded database, fake GitHub),
and measures each page's first answer after the start (uncached, once the database is idle
after the row before), then its cached p50 and req/s under load; writes as people make them
(p50 of several); start-up, `run.py migrate`, the RSS of the site and of the database child,
and the data file's size. One table, a
column pair per size. `--keep=DIR` seeds into DIR/<size> once and reuses it afterwards.
"""

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pymongo import AsyncMongoClient  # noqa: E402

from bench.load import load  # noqa: E402
from bench.pages import gist  # noqa: E402
from bench.seed import Landmarks, seed  # noqa: E402
from tests.client import Client  # noqa: E402
from tests.conftest import Outbox, open_sign_in_link, sign_in  # noqa: E402
from tests.crafted import gist_id  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402
from tests.program import ROOT, RunPy  # noqa: E402
from tornadogists.config import load_settings  # noqa: E402
from tornadogists.db.embedded_db import EmbeddedDatabase  # noqa: E402
from tornadogists.db.migrate import apply_migrations  # noqa: E402

ADMIN = "person1@example.com"   # a seeded person's address, made an admin's by --admins
TRIES = 7                   # samples of each write
UNLIMITED = ("--api_rate_limit=100000000", "--search_rate_limit=100000000")


def pages(marks: Landmarks) -> dict[str, str]:
    common, rare, in_code = marks.words
    return {
        "/": "/", "/?sort=discussed": "/?sort=discussed", "/?sort=loved": "/?sort=loved",
        "/?page=50": "/?page=50", "/tags": "/tags", f"huge tag ({marks.huge_tag})": f"/tags/{marks.huge_tag}",
        "heavy user's page": f"/users/{marks.heavy_user}", f"search {common} (common)": f"/search?q={common}",
        f"search {rare} (rare)": f"/search?q={rare}", f"search {in_code} (only in code)": f"/search?q={in_code}",
        "/feeds/gists.atom": "/feeds/gists.atom", "/feeds/comments.atom": "/feeds/comments.atom",
        "/sitemap.xml": "/sitemap.xml", "/sitemaps/1.xml": "/sitemaps/1.xml", "/api/v1/gists": "/api/v1/gists",
        "/api/v1/search": f"/api/v1/search?q={common}", "2,000-comment gist page": f"/gists/{marks.big_thread}",
        "a gist page": f"/gists/{gist_id(marks.gists // 2)}", "/healthz": "/healthz",
    }


ADMIN_PAGES = {"/admin": "/admin", "/admin/reports": "/admin/reports", "/admin/held": "/admin/held"}


@contextlib.asynccontextmanager
async def database_of(data_dir: Path):
    """The site's database in `data_dir`, on an embedded server of its own. No watchdog: a seeding
    batch's commit may keep the engine from answering a ping for longer than the site would wait."""
    database = EmbeddedDatabase(data_dir / "mongo.sqlite").start()
    client = AsyncMongoClient(database.uri, tz_aware=True)
    try:
        yield client[load_settings([f"--data_dir={data_dir}"]).mongodb_database]
    finally:
        await client.close()
        database.stop()


async def seeded(data_dir: Path, gists: int) -> tuple[Landmarks, float]:
    """Migrate and fill `data_dir`; the landmarks and the seconds it took."""
    started = time.monotonic()
    async with database_of(data_dir) as db:
        await apply_migrations(db)
        marks = await seed(db, gists)
    return marks, time.monotonic() - started


async def forget_sign_in_counts(data_dir: Path) -> None:
    """A rerun on kept data must not meet the per-network sign-in limit the last run filled."""
    async with database_of(data_dir) as db:
        await db.rate_limits.delete_many({"_id": {"$regex": "^signin-"}})


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")   # utime + stime


async def settled(pids: list[int], idle: float = 0.05) -> float:
    """Seconds until the database is idle (a page that timed out leaves its query running there)."""
    started = time.monotonic()
    while True:
        before = sum(map(cpu_seconds, pids))
        await asyncio.sleep(0.5)
        if sum(map(cpu_seconds, pids)) - before < idle * 0.5:
            return time.monotonic() - started


async def timed(call) -> float:
    started = time.monotonic()
    await call()
    return (time.monotonic() - started) * 1000


async def signing_in(person: Client, outbox: Outbox, email: str) -> float:
    """The sign-in's own requests, as a person makes them: the address sent (the token made, the mail
    queued), the mailed link opened, its button pressed (the session made). Not the wait for the
    mail: the outbox is a directory the benchmark polls, so that wait is its own, not the site's."""
    before = len(outbox.messages())
    took = await timed(lambda: person.post("/auth/email", {"email": email, "next": "/"}))
    link = await outbox.link_for(email, before)
    return took + await timed(lambda: open_sign_in_link(person, link))


async def first_answer(client: Client, path: str) -> str:
    """How long the first answer took; with its status when it was not a 200 (a page too slow at this size)."""
    started = time.monotonic()
    answer = await client.get(path)
    took = f"{(time.monotonic() - started) * 1000:,.0f} ms"
    return took if answer.code == 200 else f"{answer.code} after {took}"


class Run:
    """One size: the program on its seeded data, and what was measured."""

    def __init__(self, fake: FakeGitHub, data_dir: Path, marks: Landmarks):
        self.fake, self.data_dir, self.marks = fake, data_dir, marks
        self.rows: dict[str, str] = {}
        self.failed: dict[str, list[int]] = {}

    def row(self, name: str, value: str) -> None:
        self.rows[name] = value
        print(f"  {self.marks.gists:,} gists, {name}: {value}", flush=True)

    async def measure(self, seconds: float, connections: int) -> None:
        started = time.monotonic()
        migrate = subprocess.run([sys.executable, "run.py", "migrate", f"--data_dir={self.data_dir}"], cwd=ROOT,
                                 capture_output=True, text=True)
        assert migrate.returncode == 0, migrate.stderr
        self.row("run.py migrate (what is pending)", f"{time.monotonic() - started:.1f} s")
        await forget_sign_in_counts(self.data_dir)
        # The per-network limits would answer wrk's thousands of requests with 429s: speed is measured here.
        program = RunPy(self.data_dir, self.fake.base_url, f"--admins={ADMIN}", *UNLIMITED)
        started = time.monotonic()
        await program.start()
        self.row("start-up (to /healthz 200)", f"{time.monotonic() - started:.1f} s")
        try:
            await self.pages(program, seconds, connections)
            # Writes are measured on a quiet database, as a person makes them.
            self.row("database busy after the pages", f"{await settled(program.database_pids()):.1f} s")
            await self.writes(program)
            self.row("RSS: site", f"{rss_mb(program.process.pid):.0f} MB")
            self.row("RSS: database child", " + ".join(f"{rss_mb(pid):.0f} MB" for pid in program.database_pids()))
        finally:
            await program.stop()
        size = sum(path.stat().st_size for path in self.data_dir.glob("mongo.sqlite*"))
        self.row("data file", f"{size / 1e6:.0f} MB")

    async def pages(self, program: RunPy, seconds: float, connections: int) -> None:
        anonymous, admin = Client(program.url), Client(program.url)
        await sign_in(admin, Outbox(self.data_dir / "outbox"), ADMIN)
        every = [(name, path, anonymous) for name, path in pages(self.marks).items()]
        every += [(name, path, admin) for name, path in ADMIN_PAGES.items()]
        for name, path, who in every:
            # On an idle database, as the writes are: else a first answer waits behind the last row's load.
            await settled(program.database_pids())
            first = await first_answer(who, path)
            cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in who.cookies.items())} if who is admin else None
            result = await load(program.url + path, seconds, connections, cookie)
            self.row(name, f"{first} | {result.p50 * 1000:.1f} ms, {result.rate:,.0f}/s")

    async def writes(self, program: RunPy) -> None:
        outbox = Outbox(self.data_dir / "outbox")
        people = [Client(program.url) for _ in range(TRIES)]
        sign_ins = [await signing_in(p, outbox, f"bench{n}@example.com") for n, p in enumerate(people)]
        self.row("write: sign-in (token, link, session)", f"{statistics.median(sign_ins):,.0f} ms")
        target = gist_id(self.marks.gists // 3)
        samples = {"comment": [], "love": [], "report": [], "submit": []}
        run = int(time.time()) % 16 ** 7
        for n, person in enumerate(people):
            for kind, path, form in (("comment", f"/gists/{target}/comments", {"body": f"Scale remark {n}"}),
                                     ("love", f"/gists/{gist_id(n + 10)}/love", {}),
                                     ("report", f"/gists/{gist_id(n + 20)}/flag", {"reason": "spam"})):
                samples[kind].append(await timed(lambda: self.post(kind, person, path, form)))
            new = f"5ca1e{run:07x}{n:08x}"   # new on every run, also on kept data
            self.fake.add_gist(gist(new, f"Submitted at scale {n}", {"scale.py": f"print({n})\n"}))
            samples["submit"].append(await timed(lambda: self.post("submit", person, "/gists", {"url": new})))
        for kind, values in samples.items():
            failed = self.failed.pop(kind, [])
            self.row(f"write: {kind}", f"{statistics.median(values):,.0f} ms"
                     + (f" ({len(failed)} of {len(values)} answered {', '.join(map(str, sorted(set(failed))))})"
                        if failed else ""))
        self.row("/ right after those writes (uncached)", await first_answer(Client(program.url), "/"))

    async def post(self, kind: str, person: Client, path: str, form: dict) -> None:
        """A write as a person makes it; one the site could not make (a 503 at this size) is counted."""
        answer = await person.post(path, form)
        assert answer.code in (200, 303, 503), (path, answer.code, answer.text[:300])
        if answer.code == 503:
            self.failed.setdefault(kind, []).append(answer.code)


async def landmarks(data_dir: Path, gists: int) -> tuple[Landmarks, float | None]:
    """The seeded data of this size: seeded now (and the seconds it took), or found from before."""
    marks_file = data_dir / "landmarks.json"
    if marks_file.exists():
        saved = json.loads(marks_file.read_text())
        return Landmarks(**saved | {"words": tuple(saved["words"])}), None
    marks, took = await seeded(data_dir, gists)
    marks_file.write_text(json.dumps(dataclasses.asdict(marks)))
    print(f"{gists:,} gists: {marks.people:,} people, {marks.comments:,} comments, seeded in {took:.0f} s", flush=True)
    return marks, took


async def one_size(fake: FakeGitHub, root: Path, gists: int, seconds: float, connections: int) -> Run:
    marks, took = await landmarks(root / str(gists), gists)
    run = Run(fake, root / str(gists), marks)
    if took:
        run.row("seeding", f"{took:.0f} s")
    await run.measure(seconds, connections)
    return run


def report(runs: list[Run]) -> None:
    sizes = " | ".join(f"{run.marks.gists:,} gists: first | cached p50, req/s" for run in runs)
    print(f"\n| row | {sizes} |\n|---|{'---|---|' * len(runs)}")
    for name in runs[-1].rows:
        cells = (run.rows.get(name, "") for run in runs)   # a one-figure row leaves "cached" empty
        print(f"| {name} | " + " | ".join(cell if " | " in cell else f"{cell} | " for cell in cells) + " |")


async def main(args) -> None:
    fake = FakeGitHub()
    await fake.start()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.keep or scratch)
        if args.seed_only:
            for size in (args.small, args.gists):
                await landmarks(root / str(size), size)
            return
        runs = [await one_size(fake, root, size, args.seconds, args.connections) for size in dict.fromkeys((args.small, args.gists))]
    report(runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gists", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--keep", help="seed into KEEP/<size> once, reuse it on later runs")
    parser.add_argument("--seed-only", action="store_true", help="with --keep: seed, measure nothing")
    asyncio.run(main(parser.parse_args()))
