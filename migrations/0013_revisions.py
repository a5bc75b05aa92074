"""Revisions and GitHub's comments (issue 11).

- gist_revisions (gist_id, committed_at): a gist's revisions, newest first. _id is
  "<gist_id>/<sha>", so a revision is recorded once however many processes see it.
- gist_revision_files: a revision's files, _id as above; written once.
- comments (gist_id, github.id): a gist's copies of its GitHub comments.
- Each gist already here gets its current revision, with its files, so that line comments
  written on it can be placed on it later; GitHub's whole history comes with its next refresh.
"""

import datetime


async def _seed(db, gist: dict) -> None:
    key = f"{gist['gist_id']}/{gist['revision']}"
    if await db.gist_revisions.find_one({"_id": key}, {"_id": 1}):
        return
    await db.gist_revisions.insert_one({
        "_id": key, "gist_id": gist["gist_id"], "sha": gist["revision"],
        "committed_at": gist.get("github_updated_at"), "additions": 0, "deletions": 0, "total": 0,
        "user": (gist.get("owner") or {}).get("login"), "seen_at": datetime.datetime.now(datetime.UTC)})
    files = await db.gist_files.find_one({"_id": gist["gist_id"]}, {"files": 1})
    if files and not await db.gist_revision_files.find_one({"_id": key}, {"_id": 1}):
        await db.gist_revision_files.insert_one({"_id": key, "gist_id": gist["gist_id"], "files": files["files"]})


async def up(db):
    await db.gist_revisions.create_index([("gist_id", 1), ("committed_at", -1)])
    await db.comments.create_index([("gist_id", 1), ("github.id", 1)])
    fields = {"gist_id": 1, "revision": 1, "github_updated_at": 1, "owner.login": 1}
    async for gist in db.gists.find({"revision": {"$type": "string"}, "revision_count": {"$exists": False}}, fields):
        await _seed(db, gist)
        await db.gists.update_one({"_id": gist["_id"]}, {"$set": {"revision_count": 1, "revision_number": 1}})
