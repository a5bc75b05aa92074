"""Start and stop the local MongoDB-compatible server (mongoeco, SQLite engine) as a child process.

The child prints `PORT <n>` once it listens (or `ERROR <why>` and exits), and exits on
SIGTERM, SIGINT or when its stdin closes — so it never outlives the site, even after a
crash or an autoreload. A restart reuses the port, so the driver reconnects by itself.
"""

import argparse
import asyncio
import os
import selectors
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

START_TIMEOUT = 20
STOP_TIMEOUT = 5


class EmbeddedDatabase:
    """A running mongoeco wire server in a child process."""

    def __init__(self, path: Path, patched: bool = True):
        self.path = Path(path)
        self.patched = patched
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def exit_code(self) -> int | None:
        """None while the child runs; its exit status once it has ended."""
        return self.process.poll() if self.process else None

    def start(self) -> "EmbeddedDatabase":
        """Start the child (on the same port as before, after a restart); blocks until it listens."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "tornadogists.db.embedded_db", str(self.path), "--port", str(self.port or 0)]
        if not self.patched:
            command.append("--unpatched")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self._read_line(START_TIMEOUT)
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"embedded database did not start: {line.removeprefix('ERROR ').strip() or 'no answer'}")
        self.port = int(line.split()[1])
        return self

    def _read_line(self, timeout: float) -> str:
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return ""
        return self.process.stdout.readline()

    def restart(self) -> None:
        """Kill the child (it may be frozen) and start a new one on the same file and port."""
        self.stop(timeout=0)
        self.start()

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds (a frozen child never answers SIGTERM)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


def _watch_parent(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Stop when stdin reaches EOF (the parent is gone), and stop watching it then."""
    fd = sys.stdin.fileno()

    def readable():
        if not os.read(fd, 1024):
            loop.remove_reader(fd)
            stop.set()

    loop.add_reader(fd, readable)


async def _serve(path: str, port: int, patched: bool) -> int:
    from mongoeco.engines.sqlite import SQLiteEngine
    from mongoeco.wire.proxy import AsyncMongoEcoProxyServer

    from tornadogists.db import (mongoeco_entries_patch, mongoeco_features_patch, mongoeco_index_patch,
                                 mongoeco_insert_patch, mongoeco_patch)

    if patched:
        try:
            mongoeco_patch.apply()
            mongoeco_insert_patch.apply()
            mongoeco_features_patch.apply()
            mongoeco_index_patch.apply()
            mongoeco_entries_patch.apply()
        except mongoeco_patch.UnsupportedMongoeco as error:
            print(f"ERROR {error}", flush=True)
            return 1
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    _watch_parent(loop, stop)
    server = AsyncMongoEcoProxyServer(engine=SQLiteEngine(path), host="127.0.0.1", port=port, mongodb_dialect="7.0")
    address = await server.start()
    print(f"PORT {address.port}", flush=True)
    try:
        await stop.wait()
    finally:
        with suppress(Exception):
            await asyncio.wait_for(server.close(), STOP_TIMEOUT)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The embedded database server (started by the site).")
    parser.add_argument("path")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--unpatched", action="store_true", help="without our fixes (mongoeco_patch.py, mongoeco_insert_patch.py, mongoeco_features_patch.py, mongoeco_index_patch.py, mongoeco_entries_patch.py)")
    args = parser.parse_args()
    sys.exit(asyncio.run(_serve(args.path, args.port, not args.unpatched)))
