"""Single-field indexes on the fields the gist listings sort by, for the embedded engine.

The (field, _id) compound indexes already serve these sorts on MongoDB. The embedded engine
sorts through an index only from a single-field one (tornadogists/db/mongoeco_index_patch.py,
part 3): without these, every listing page sorted every gist. Comments are left out for now:
the engine builds an index in Python, document by document, and a site with hundreds of
thousands of comments would wait minutes on this migration at start-up; the comment feed and a
person's comments still sort on the engine (README, "At scale").
"""


async def up(db):
    for field in ("hot", "loves", "submitted_at"):
        await db.gists.create_index(field)
