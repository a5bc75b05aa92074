"""Gist pages kept in memory under (gist_id, version), and the poller that learns other processes' writes.

Key-based expiry (STYLE.md, "Reading fast"): nothing is ever deleted by hand. A write bumps
the gist's version (storage/gists.py); the next view misses and rebuilds; stale entries
age out of the LRU, which is bounded by bytes.
"""

import datetime
from collections import OrderedDict

from tornadogists.background import Periodic

POLL_SECONDS = 1.0
# A write committed late, or stamped by a clock a little behind, is still seen.
OVERLAP = datetime.timedelta(seconds=10)


def weight(value) -> int:
    """Roughly the bytes a cached value holds: its strings, counted through dicts, lists and objects."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        return sum(weight(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(weight(v) for v in value)
    if hasattr(value, "__dict__"):
        return weight(vars(value))
    return 8


class ByteLRU:
    """At most `max_bytes` of values (as `weight` counts them), the least recently used dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict = OrderedDict()   # key -> (value, bytes)

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key, value, size: int) -> None:
        if key in self._entries:
            self.size -= self._entries.pop(key)[1]
        if size > self.max_bytes:
            return
        self._entries[key] = (value, size)
        self.size += size
        self._trim()

    def grow(self, key, value, change: int) -> None:
        """`value`, held under `key`, now weighs `change` bytes more (or less): counted, and the least
        recently used dropped past the budget. Nothing happens for a value dropped or replaced already."""
        entry = self._entries.get(key)
        if entry is None or entry[0] is not value:
            return
        self._entries[key] = (value, entry[1] + change)
        self.size += change
        self._trim()

    def _trim(self) -> None:
        while self.size > self.max_bytes:
            self.size -= self._entries.popitem(last=False)[1][1]

    def items(self):
        """(key, value, counted bytes) of everything held, least recently used first."""
        return [(key, value, size) for key, (value, size) in self._entries.items()]

    def __len__(self) -> int:
        return len(self._entries)


class VersionPoller:
    """One query a second for every gist changed anywhere: other processes' writes reach this one's cache."""

    def __init__(self, gists, clock):
        self.gists = gists   # the Gists storage: it keeps the versions
        self.clock = clock
        self.last = clock()
        self.periodic = Periodic(self.poll, POLL_SECONDS, "gist page versions")

    async def poll(self) -> None:
        started = self.clock()
        for doc in await self.gists.changed_since(self.last - OVERLAP):
            self.gists.saw_version(doc["gist_id"], doc["version"])
        self.last = started
