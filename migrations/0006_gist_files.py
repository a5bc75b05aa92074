"""Move each gist's files into `gist_files`, so listing gists never reads file contents.

The embedded server loads whole documents to sort a listing; with the files inside,
a page of twenty cards read megabytes of highlighted HTML.
"""


async def up(db):
    async for gist in db.gists.find({"files": {"$exists": True}}, {"gist_id": 1, "files": 1}):
        await db.gist_files.replace_one(
            {"_id": gist["gist_id"]}, {"_id": gist["gist_id"], "files": gist["files"]}, upsert=True
        )
        await db.gists.update_one({"_id": gist["_id"]}, {"$unset": {"files": ""}})
