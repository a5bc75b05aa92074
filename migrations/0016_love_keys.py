"""Loves keyed by (gist, person) in `_id` instead of a unique compound index.

The embedded engine checks a compound unique index by deserializing every document of the
collection on each insert, so loving cost grew with every love ever given. The `_id` key
"{gist_id}:{user_id}" keeps a love single on any MongoDB; (gist_id) serves a gist's lovers.
"""

from pymongo.errors import DuplicateKeyError


async def up(db):
    if "gist_id_1_user_id_1" in await db.loves.index_information():
        await db.loves.drop_index("gist_id_1_user_id_1")   # first: it would refuse each keyed copy
    await db.loves.create_index("gist_id")
    async for love in db.loves.find({"_id": {"$not": {"$type": "string"}}}):
        try:
            await db.loves.insert_one({**love, "_id": f"{love['gist_id']}:{love['user_id']}"})
        except DuplicateKeyError:
            pass  # copied by an earlier, interrupted run
        await db.loves.delete_one({"_id": love["_id"]})
