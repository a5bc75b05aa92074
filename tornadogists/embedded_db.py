"""Start and stop the local MongoDB-compatible server (mongoeco, SQLite engine) as a child process.

The child prints `PORT <n>` once it listens, and exits on SIGTERM, SIGINT or when
its stdin closes — so it never outlives the site, even after a crash or an autoreload.
"""

import asyncio
import os
import selectors
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

START_TIMEOUT = 20


class EmbeddedDatabase:
    """A running mongoeco wire server in a child process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self) -> "EmbeddedDatabase":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tornadogists.embedded_db", str(self.path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        line = self._read_line(START_TIMEOUT)
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"embedded database did not start: {line.strip() or 'no answer'}")
        self.port = int(line.split()[1])
        return self

    def _read_line(self, timeout: float) -> str:
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return ""
        return self.process.stdout.readline()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


async def _serve(path: str) -> None:
    from mongoeco.engines.sqlite import SQLiteEngine
    from mongoeco.wire.proxy import AsyncMongoEcoProxyServer

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    # Parent gone (stdin closed): stop too.
    loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 1024) or stop.set())
    server = AsyncMongoEcoProxyServer(
        engine=SQLiteEngine(path), host="127.0.0.1", port=0, mongodb_dialect="7.0"
    )
    address = await server.start()
    print(f"PORT {address.port}", flush=True)
    try:
        await stop.wait()
    finally:
        with suppress(Exception):
            await asyncio.wait_for(server.close(), 10)


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1]))
