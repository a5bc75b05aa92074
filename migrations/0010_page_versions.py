"""Gist page versions: every write that changes a gist's page bumps `version` and sets `changed_at`.

Each process keeps rendered gist pages in memory under (gist_id, version) and learns
other processes' writes with one query on `changed_at` a second (services/page_cache.py).
"""


async def up(db):
    await db.gists.update_many({"version": {"$exists": False}}, {"$set": {"version": 1}})
    await db.gists.create_index("changed_at")
