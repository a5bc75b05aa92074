"""A few seconds of memory for expensive reads, so hot pages and feeds skip the database."""

import asyncio
import time

MAX_ENTRIES = 2000


class TTLCache:
    """Values computed once per `seconds` per key; concurrent misses share one computation.

    `version` is anything that changes when this process writes what the value was
    read from: a changed version is a miss, so a person sees their own change at once.
    Other processes' writes show after at most `seconds`.
    """

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self._entries: dict = {}

    async def get(self, key, compute, version=None):
        now = self.clock()
        entry = self._entries.get(key)
        if entry is None or entry[0] <= now or entry[1] != version:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            entry = (now + self.seconds, version, asyncio.ensure_future(compute()))
            self._entries[key] = entry
        elif entry[2].done() and not entry[2].cancelled() and entry[2].exception() is None:
            return entry[2].result()   # the common case, without shield's extra future
        try:
            return await asyncio.shield(entry[2])
        except Exception:
            if self._entries.get(key) is entry:
                del self._entries[key]
            raise

    def holds(self, key, version=None) -> bool:
        """A value for `key` is fresh or being computed: get() would not compute it again."""
        entry = self._entries.get(key)
        return entry is not None and entry[0] > self.clock() and entry[1] == version

    def clear(self) -> None:
        self._entries.clear()
