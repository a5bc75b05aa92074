"""Single-field indexes on the fields the gist listings sort by, for the embedded engine.

The (field, _id) compound indexes already serve these sorts on MongoDB. The embedded engine
sorts through an index only from a single-field one (tornadogists/db/mongoeco_index_patch.py,
part 3): without these, every listing page sorted every gist. The comments' index came later
(0024), once building one no longer cost O(n) a document (the patch's part 6).
"""


async def up(db):
    for field in ("hot", "loves", "submitted_at"):
        await db.gists.create_index(field)
