"""A single-field index on the comments' `created_at`, for the embedded engine.

The comment feed and a person's comments sort by (created_at, _id); the compound indexes of
0001 serve that on MongoDB, and the embedded engine reads such a sort from a single-field index
only (tornadogists/db/mongoeco_index_patch.py, part 3): without it the feed sorted every comment
of the site (more than 5 s at 456,103). 0022 left this out while the engine built an index in
O(n) a document; since part 6 it takes about 0.3 ms a comment (2 to 3 minutes at 456,103, once).
"""


async def up(db):
    await db.comments.create_index("created_at")
