"""How much each gist was discussed lately: its shown comments of the last 30 days, kept on the gist.

"Most discussed" used to group the month's comments per gist on every uncached view, which the
embedded engine does in Python: 42,513 comments took more than 5 s at 50,000 gists. The count
is now stored on the gist, and the tab is an indexed sort like "Hot" and "Most loved":

- `discussed`: how many shown comments were written in the window, `discussed_last_at` the
  newest of them (ties go to the gist discussed last), `discussed_until` when the oldest of
  them leaves the window, the moment the count next falls. A gist with none has none of these.
  `discussed_rank` (text/ranking.py) holds the first two as one number, 0 for none, on every
  gist: the tab sorts on it and `_id` through its single-field index (db/mongoeco_index_patch.py).
- A new comment adds itself (`$inc`, in the write that counts it: fifty at once all count; the
  rank follows as the hot score does).
  A comment hidden, shown again, deleted or brought from GitHub makes the gist count again.
- Time alone lowers a count, so `expired(now)` lists the gists whose `discussed_until` has
  passed, and a sweep (services/discovery.py) counts them again.
"""

import datetime

from tornadogists.storage.comments import PUBLIC
from tornadogists.text.ranking import discussed_rank

WINDOW = datetime.timedelta(days=30)
FIELDS = ("discussed", "discussed_last_at", "discussed_until")
RECOUNT_TRIES = 5   # writes racing one recount: each try reads the gist's version afresh


def discussed_fields(count: int, oldest, newest) -> dict:
    """A gist's fields for `count` shown comments in the window, written from `oldest` to `newest`; none for none."""
    return {"discussed": count, "discussed_last_at": newest, "discussed_until": oldest + WINDOW} if count else {}


def discussed_update(count: int, oldest, newest) -> dict:
    """The update that stores discussed_fields (or takes them away) and the rank they give."""
    fields = discussed_fields(count, oldest, newest)
    rank = {"discussed_rank": discussed_rank(fields)}
    return {"$set": {**fields, **rank}} if fields else {"$unset": dict.fromkeys(FIELDS, ""), "$set": rank}


class Discussion:
    def __init__(self, gists_collection, comments_collection):
        self.gists = gists_collection
        self.comments = comments_collection

    @staticmethod
    def added(at: datetime.datetime) -> dict:
        """What one more shown comment written at `at` does to the gist (merged into the write that counts it)."""
        return {"$inc": {"discussed": 1}, "$max": {"discussed_last_at": at}, "$min": {"discussed_until": at + WINDOW}}

    async def recount(self, gist_id: str, version: int, now: datetime.datetime | None = None) -> None:
        """Count the gist's shown comments of the window again. The count is stored only where the
        gist is still at `version`: after a write came between (a new comment's `$inc`), it reads again."""
        since = (now or datetime.datetime.now(datetime.UTC)) - WINDOW
        for _ in range(RECOUNT_TRIES):
            # The gist's shown comments through its index, the window taken here: with the range in the
            # query the embedded engine listed every comment of the month for each of a count and two
            # sorted reads (about 150 ms a gist at 50,000 gists; this, 7 ms for a gist of 21 comments).
            recent = [doc["created_at"] async for doc in self.comments.find({"gist_id": gist_id, **PUBLIC},
                                                                            {"created_at": 1})
                      if doc["created_at"] >= since]
            update = discussed_update(len(recent), min(recent, default=None), max(recent, default=None))
            if (await self.gists.update_one({"gist_id": gist_id, "version": version}, update)).matched_count:
                return
            read = await self.gists.find_one({"gist_id": gist_id}, {"version": 1})
            if read is None:
                return
            version = read.get("version", 0)

    async def expired(self, now: datetime.datetime, limit: int) -> list[tuple[str, int]]:
        """(gist_id, version) of gists whose count fell since it was made: their oldest comment left the window."""
        cursor = self.gists.find({"discussed_until": {"$lte": now}}, {"gist_id": 1, "version": 1}).limit(limit)
        return [(doc["gist_id"], doc.get("version", 0)) async for doc in cursor]
