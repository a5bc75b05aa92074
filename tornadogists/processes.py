"""Serve from several worker processes on one port: the parent keeps the database, each worker a Site of its own.

A worker is a fresh interpreter (`python -m tornadogists.processes --key=value ...`), not a
fork: it inherits no event loop, thread or database client from the parent, and opens its
own AsyncMongoClient. Each worker binds the port itself with SO_REUSEPORT, so the kernel
spreads connections evenly among them (with one shared accept socket, whichever worker
wakes first takes most keep-alive connections: see the README's "Running several processes").
A worker stops on SIGTERM, and by itself when its stdin (a pipe from the parent) closes, so
it never outlives the parent, even one killed with SIGKILL.
"""

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time

import tornado.netutil

from tornadogists.config import ConfigError, load_settings
from tornadogists.server import Site

log = logging.getLogger(__name__)

STOP_SECONDS = 5     # a worker gets this long to close after SIGTERM, then it is killed
QUICK_EXIT = 5       # a worker ending sooner than this after its start failed to start
GIVE_UP_AFTER = 5    # ... and after this many such failures in a row in one slot, the site stops


def worker_count(settings) -> int:
    return settings.processes or os.cpu_count() or 1


def check_port_free(settings) -> None:
    """Fail at once, with the OS's message, when something that does not share the port holds it."""
    for sock in tornado.netutil.bind_sockets(settings.port, settings.address, reuse_port=True):
        sock.close()


class Workers:
    """`count` workers, each started again when it dies; `give_up()` is called when one keeps dying at start."""

    def __init__(self, count: int, argv: list[str], give_up):
        self.count = count
        self.give_up = give_up
        self.gave_up = False
        self.command = [sys.executable, "-m", "tornadogists.processes", *argv]
        self.running: dict[int, asyncio.subprocess.Process] = {}
        self._stopping = False
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._keep(slot)) for slot in range(self.count)]

    async def _keep(self, slot: int) -> None:
        quick_exits = 0
        while not self._stopping:
            started = time.monotonic()
            # A session of its own: a Ctrl-C in the terminal reaches the parent, which stops workers in order.
            process = await asyncio.create_subprocess_exec(*self.command, stdin=subprocess.PIPE,
                                                           start_new_session=True)
            self.running[slot] = process
            if self._stopping:  # stop() began while this one was starting
                process.terminate()
            code = await process.wait()
            process.stdin.close()   # the last pipe: asyncio lets go of the process
            if self._stopping:
                return
            quick_exits = quick_exits + 1 if time.monotonic() - started < QUICK_EXIT else 0
            if quick_exits >= GIVE_UP_AFTER:
                log.error("worker %d exited %d times in a row right after starting; stopping", slot, quick_exits)
                self.gave_up = True
                self.give_up()
                return
            log.warning("worker %d (pid %d) exited with status %d; starting another", slot, process.pid, code)
            await asyncio.sleep(1 if quick_exits else 0)

    async def stop(self) -> None:
        """SIGTERM every worker; kill those still there after STOP_SECONDS."""
        self._stopping = True
        for process in self.running.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        if not self._tasks:
            return
        await asyncio.wait(self._tasks, timeout=STOP_SECONDS)
        for slot, process in self.running.items():
            if process.returncode is None:
                log.warning("worker %d (pid %d) did not stop within %d s; killing it", slot, process.pid, STOP_SECONDS)
                process.kill()
        await asyncio.gather(*self._tasks)


async def serve_worker(settings) -> None:
    """One worker: serve until SIGTERM, SIGINT or the parent's end (EOF on stdin)."""
    site = await Site(settings).open(worker=True)
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        loop.add_reader(sys.stdin.fileno(), _on_parent_pipe, loop, stop)
        sockets = tornado.netutil.bind_sockets(settings.port, settings.address, reuse_port=True)
        site.listen(sockets=sockets)
        log.info("worker %d serving %s:%d", os.getpid(), settings.address, settings.port)
        await stop.wait()
    finally:
        await site.close()


def _on_parent_pipe(loop, stop: asyncio.Event) -> None:
    if not os.read(sys.stdin.fileno(), 4096):  # EOF: the parent is gone
        loop.remove_reader(sys.stdin.fileno())
        stop.set()


def main(argv: list[str]) -> int:
    try:
        settings = load_settings(argv)
    except ConfigError as error:
        print(f"tornadogists worker: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve_worker(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
