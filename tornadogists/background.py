"""Background loops: run a step, sleep until woken or the interval passes, stop without leaving a task behind."""

import asyncio
import logging

log = logging.getLogger(__name__)


class Periodic:
    """Runs `step()` over and over, `seconds` apart; `wake()` runs it now. A failing step is logged and retried."""

    def __init__(self, step, seconds: float, name: str):
        self.step = step
        self.seconds = seconds
        self.name = name
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run())

    async def stop(self, patience: float = 0.5) -> None:
        """Let a step under way finish (up to `patience` seconds), then end the loop.

        Cancelling a database call half-way leaves its connection mid-read; a step that
        overruns (the database is frozen, say) is cancelled all the same.
        """
        if self._task:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), patience)
            except TimeoutError:
                self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.step()
            except Exception:  # the database is down, say: never kill the loop, try again later
                log.exception("%s failed; trying again", self.name)
            try:
                await asyncio.wait_for(self._wake.wait(), self.seconds)
            except TimeoutError:
                pass
