"""The whole program, as `make run` starts it: `python run.py` in a child process with its own data_dir."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest_asyncio
import tornado.testing
from tornado.simple_httpclient import HTTPStreamClosedError

from tests.client import Client

ROOT = Path(__file__).resolve().parent.parent


class RunPy:
    """`python run.py` in a child process; what it logs goes to `log_path`."""

    def __init__(self, data_dir: Path, github_url: str, *extra_args: str):
        sock, self.port = tornado.testing.bind_unused_port()
        sock.close()
        self.data_dir = data_dir
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [f"--port={self.port}", f"--site_url={self.url}", f"--data_dir={data_dir}",
                     "--mail_backend=file", f"--github_api_url={github_url}", *extra_args]
        real = os.environ.get("TORNADOGISTS_TEST_MONGODB_URI")
        if real:
            self.args += [f"--mongodb_uri={real}", f"--mongodb_database=restart_{uuid.uuid4().hex[:8]}"]
        self.log_path = data_dir / "run.log"
        self.process = None

    async def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen([sys.executable, "run.py", *self.args], cwd=ROOT, stderr=log)
        if not await self.healthy_within(30):
            raise AssertionError("run.py did not start")

    async def healthy_within(self, seconds: float) -> bool:
        """Poll /healthz every 0.1 s; True as soon as it answers 200."""
        client = Client(self.url)
        try:
            for _ in range(int(seconds * 10)):
                try:
                    if (await client.get("/healthz")).code == 200:
                        return True
                except (OSError, HTTPStreamClosedError):   # not listening yet, or closed on us while starting
                    pass
                await asyncio.sleep(0.1)
            return False
        finally:
            client.close()

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.process.wait, 30)

    def log(self) -> str:
        return self.log_path.read_text()

    async def workers_serving(self, count: int, seconds: float = 30) -> list[int]:
        """Wait until `count` workers run and have logged that they serve; their pids."""
        for _ in range(int(seconds * 10)):
            pids = self.worker_pids()
            if len(pids) == count and all(f"worker {pid} serving" in self.log() for pid in pids):
                return pids
            await asyncio.sleep(0.1)
        raise AssertionError(f"expected {count} workers serving, found {self.worker_pids()}:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """The worker processes serving HTTP (with --processes above 1), read from /proc."""
        return children(self.process.pid, "tornadogists.processes")

    def database_pids(self) -> list[int]:
        """The embedded database children serving this data_dir."""
        found = subprocess.run(["pgrep", "-f", f"tornadogists.db.embedded_db {self.data_dir}"],
                               capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]


def children(parent: int, marker: str) -> list[int]:
    """Running child processes of `parent` whose command line contains `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue  # not a process, or gone meanwhile
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and marker in command and state != "Z":
            found.append(int(entry.name))
    return sorted(found)


async def _cleaned_up(running: RunPy):
    yield running
    workers = running.worker_pids() if running.process else []
    if running.process and running.process.poll() is None:
        running.process.kill()
        running.process.wait()
    for pid in workers + running.database_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest_asyncio.fixture
async def program(tmp_path, fake_github):
    async for running in _cleaned_up(RunPy(tmp_path, fake_github.base_url)):
        yield running


@pytest_asyncio.fixture
async def two_workers(tmp_path, fake_github):
    """run.py serving from two worker processes (--processes=2)."""
    async for running in _cleaned_up(RunPy(tmp_path, fake_github.base_url, "--processes=2")):
        yield running


def connections_held(pid: int, port: int) -> int:
    """How many established TCP connections to local `port` process `pid` holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:["):-1])
    held = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()   # local address, remote address, state (01: established), ..., inode
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                held += 1
    return held
