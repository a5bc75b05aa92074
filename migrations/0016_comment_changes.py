"""comments (updated_at): the SQLite search index (storage/search_index.py) reads the comments
written, edited, deleted or hidden since it last looked, across all gists, with one indexed query."""


async def up(db):
    await db.comments.create_index("updated_at")
