"""Single-field indexes on the fields listings sort by, for the embedded engine.

The (field, _id) compound indexes already serve these sorts on MongoDB. The embedded engine
sorts through an index only from a single-field one (tornadogists/db/mongoeco_index_patch.py,
part 3): without these, every listing page sorted the whole collection.
"""


async def up(db):
    for field in ("hot", "loves", "submitted_at"):
        await db.gists.create_index(field)
    await db.comments.create_index("created_at")
