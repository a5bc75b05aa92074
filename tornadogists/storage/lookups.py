"""A short list of documents by a unique key: one indexed `find_one` each, all at once.

A real MongoDB answers one `{key: {"$in": [...]}}` query from its index. The embedded engine
reads the whole collection for it (30 of 53,000 comments: 598 ms), and any find of more than
one document costs it about 100 ms at that size, while a `find_one` on an indexed key stays at
about 1 ms (docs/mongoeco-insert-scan.md). For the handful a page needs: cards, search
excerpts, a thread's deep parents, a feed's first files.
"""

import asyncio


async def each(collection, key: str, values, projection: dict | None = None) -> list[dict]:
    """The documents whose `key` (unique) is one of `values`, in that order; absent ones are left out."""
    found = await asyncio.gather(*(collection.find_one({key: value}, projection) for value in dict.fromkeys(values)))
    return [doc for doc in found if doc is not None]
