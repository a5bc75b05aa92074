"""Single-field indexes on the dotted paths a person's things are found by.

A person's comments (`comments.author.id`: their page's tab, a report's check of the reporter's
standing) and gists (`gists.submitter.id`) had compound indexes only, which the embedded engine
does not use for these filters: it read every comment (0.8 s at 456,103) and, on the first such
read after a start, scanned them all for arrays on the way (4.2 s). With these the index patch
reads the entries (tornadogists/db/mongoeco_index_patch.py, part 2). A real MongoDB serves the
filters from either index alike.
"""


async def up(db):
    await db.comments.create_index("author.id")
    await db.gists.create_index("submitter.id")
