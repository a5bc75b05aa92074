"""What the SQLite search index (storage/search_index.py) reads to catch up, by index on the embedded engine.

- gists (changed_ms): the gists changed since it last looked. A number beside `changed_at`:
  the embedded engine serves a range of numbers from an index but scans for a range of dates.
- comments (gist_id): a changed gist's comments. The (gist_id, updated_at) index serves the
  same on MongoDB; the embedded engine uses single-field indexes only.
"""


async def up(db):
    await db.gists.create_index("changed_ms")
    await db.comments.create_index("gist_id")
