"""Supervise the embedded database: restart it when it dies or stops answering."""

import asyncio
import logging
import time

import pymongo
from pymongo import AsyncMongoClient

log = logging.getLogger(__name__)

PROBE_EVERY = 0.5  # seconds between liveness probes
PROBE_TIMEOUT = 1.0  # a ping slower than this is a failed probe
UNRESPONSIVE_AFTER = 3.0  # seconds without an answer before the child is killed and restarted


class DatabaseWatchdog:
    """Pings the child; when it has exited or not answered for a few seconds, starts it again.

    The child comes back on the same file and port, so the site's driver reconnects by itself.
    `state` is what /healthz reports: "ok", "not answering" or "restarting".
    """

    def __init__(self, database):
        self.database = database
        self.state = "ok"
        self.restarts = 0
        self._task: asyncio.Task | None = None
        self._restarting: asyncio.Future | None = None
        self._probe: AsyncMongoClient | None = None

    def start(self) -> None:
        self._probe = AsyncMongoClient(
            self.database.uri, serverSelectionTimeoutMS=int(PROBE_TIMEOUT * 1000),
            connectTimeoutMS=int(PROBE_TIMEOUT * 1000), socketTimeoutMS=int(PROBE_TIMEOUT * 1000),
        )
        self._task = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._restarting:  # a thread cannot be cancelled: let a restart under way finish
            await asyncio.wait([self._restarting], timeout=PROBE_TIMEOUT * 3)
        if self._probe:
            # Never wait on a frozen server at shutdown (ending sessions would).
            await asyncio.wait_for(self._probe.close(), 1)

    async def _watch(self) -> None:
        last_answer = time.monotonic()
        while True:
            await asyncio.sleep(PROBE_EVERY)
            code = self.database.exit_code()
            if code is not None:
                await self._restart(f"it exited with status {code}")
            elif await self._answers():
                self.state = "ok"
            elif time.monotonic() - last_answer < UNRESPONSIVE_AFTER:
                self.state = "not answering"
                continue
            else:
                await self._restart(f"it did not answer a ping for {UNRESPONSIVE_AFTER:.0f} s")
            last_answer = time.monotonic()

    async def _answers(self) -> bool:
        try:
            with pymongo.timeout(PROBE_TIMEOUT):
                await self._probe.admin.command("ping")
            return True
        except pymongo.errors.PyMongoError:
            return False

    async def _restart(self, reason: str) -> None:
        self.state = "restarting"
        self.restarts += 1
        log.warning("embedded database restarting (restart %d): %s", self.restarts, reason)
        started = time.monotonic()
        try:
            self._restarting = asyncio.ensure_future(asyncio.to_thread(self.database.restart))
            await asyncio.shield(self._restarting)
        except RuntimeError as error:  # the next probe tries again
            log.error("embedded database did not restart: %s", error)
            return
        log.warning("embedded database back on port %d in %.1f s", self.database.port, time.monotonic() - started)
