"""A single-field index on the comments' `deleted`, for the embedded engine.

The admin dashboard counts the comments that are not deleted (all of them less the deleted
ones), and the held-for-review queue asks for visible ones. Without an index the engine counted
the deleted ones by reading every comment (0.8 s at 456,103) and, on the first such query after a
start, scanned them all again for arrays and tagged values at the field (1.4 s). With it the count
is a lookup of the index's entries (tornadogists/db/mongoeco_index_patch.py, part 2).
"""


async def up(db):
    await db.comments.create_index("deleted")
