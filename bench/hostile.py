"""Benchmark: issue 22's hostile Markdown, sent to the whole program — bytes out, the site's peak RSS, time.

    .venv/bin/python bench/hostile.py [--skip=github] [--skip=readme]

Starts `run.py` against the fake GitHub, posts the 16 KB blow-up (1,000 unclosed <em a=N>,
1,550 <p>x) as a comment and its 20,000-character version, brings a 64 KB comment of the same
written on GitHub, and imports a gist whose README.md is 64 KB of it. After each step: the answer's
code and time, the bytes of the gist page, the API thread and /feeds/comments.atom, and the
site process's peak RSS (VmHWM; forkserver render children are separate processes).
"""

import argparse
import asyncio
import copy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.client import Client  # noqa: E402
from tests.conftest import Outbox, sign_in  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402
from tests.program import RunPy  # noqa: E402

HELLO, BIG = "aa5a315d61ae9438b18d", "b1b1b1b1b1b1b1b1b1b1"
UNCLOSED = "".join(f"<em a={n}>" for n in range(1000))
BLOW_UP = UNCLOSED + "<p>x" * 1550
BLOW_UP_20K = UNCLOSED + "<p>x" * ((20_000 - len(UNCLOSED)) // 4)
SIXTY_FOUR_K = (UNCLOSED * 3 + "<p>x" * 5000)[:64 * 1024]


def peak_rss_mb(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        status = ""
    found = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return f"{int(found[0].split()[1]) / 1024:.0f} MB" if found else "none: the process is gone"


async def timed(call):
    started = time.perf_counter()
    try:
        answer = await call
        return answer.code, time.perf_counter() - started, len(answer.body)
    except Exception as error:  # the site died: say so and go on
        return type(error).__name__, time.perf_counter() - started, 0


async def sizes(site: RunPy, client: Client, gist_id: str) -> str:
    parts = []
    for path in (f"/gists/{gist_id}", f"/api/v1/gists/{gist_id}/comments", "/feeds/comments.atom"):
        code, seconds, size = await timed(client.get(path))
        parts.append(f"{path} {code} {size:,} B {seconds:.2f} s")
    return "; ".join(parts) + f"; peak RSS {peak_rss_mb(site.process.pid)}"


async def main(skip: list[str]) -> None:
    fake = FakeGitHub()
    await fake.start()
    gist = copy.deepcopy(fake.gists[HELLO])
    gist["id"] = BIG
    gist["files"]["README.md"] = {**gist["files"]["README.md"], "content": SIXTY_FOUR_K, "size": len(SIXTY_FOUR_K)}
    fake.add_gist(gist)
    with tempfile.TemporaryDirectory() as data_dir:
        site = RunPy(Path(data_dir), fake.base_url)
        await site.start()
        try:
            person = Client(site.url)
            await sign_in(person, Outbox(Path(data_dir) / "outbox"), "bench@example.com")
            assert (await person.post("/gists", {"url": HELLO})).code == 303
            print("started:", await sizes(site, person, HELLO))
            for name, body in (("16 KB blow-up comment", BLOW_UP), ("20,000-character blow-up", BLOW_UP_20K)):
                code, seconds, _ = await timed(person.post(f"/gists/{HELLO}/comments", {"body": body}))
                print(f"{name} ({len(body):,} chars): POST {code} {seconds:.2f} s;", await sizes(site, person, HELLO))
            if "github" not in skip:
                fake.add_comment(HELLO, SIXTY_FOUR_K)
                await asyncio.sleep(61)   # a gist is fetched at most once a minute
                code, seconds, _ = await timed(person.post(f"/gists/{HELLO}/refresh", {}))
                print(f"64 KB GitHub comment: refresh {code} {seconds:.2f} s;", await sizes(site, person, HELLO))
            if "readme" not in skip:
                code, seconds, _ = await timed(person.post("/gists", {"url": BIG}))
                print(f"64 KB README.md gist: POST {code} {seconds:.2f} s;", await sizes(site, person, BIG))
            code, _, _ = await timed(person.get("/healthz"))
            print(f"healthz {code}; site process {'alive' if site.process.poll() is None else 'dead'}")
            if site.process.poll() is not None:
                print("its log ends:", *site.log().splitlines()[-4:], sep="\n  ")
        finally:
            if site.process.poll() is None:
                await site.stop()
            fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip", action="append", default=[], choices=["github", "readme"],
                        help="leave a step out (one that takes the site down hides the next)")
    asyncio.run(main(parser.parse_args().skip))
