"""A single-field `gist_id` index on the revisions, for the embedded engine.

A submission, a refresh and the revisions page read a gist's revisions by `gist_id`. The
(gist_id, committed_at) index of 0013 serves that on MongoDB; the embedded engine reads
equality from single-field indexes only (tornadogists/db/mongoeco_index_patch.py, part 2), so
each read scanned every revision of the site: 124,984 at 50,000 gists. (Their files are read
by `_id` only, which the same patch turns into a lookup by storage key.)
"""


async def up(db):
    await db.gist_revisions.create_index("gist_id")
