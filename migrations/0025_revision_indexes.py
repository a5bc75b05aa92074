"""Single-field `gist_id` indexes on the revisions, for the embedded engine.

A submission, a refresh and the revisions page read a gist's revisions by `gist_id`. The
(gist_id, committed_at) index of 0014 serves that on MongoDB; the embedded engine reads
equality from single-field indexes only (tornadogists/db/mongoeco_index_patch.py, part 2), so
each read scanned every revision of the site: 124,984 at 50,000 gists, and a submission there
took more than 5 s (py-spy of the database: `gist_revisions` and `gist_revision_files`).
"""


async def up(db):
    await db.gist_revisions.create_index("gist_id")
    await db.gist_revision_files.create_index("gist_id")
