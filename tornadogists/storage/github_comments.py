"""A gist's comments written on GitHub, kept in `comments` beside ours (marked by their `github` field)."""

import datetime

FROM_GITHUB = {"github.id": {"$exists": True}}


class GitHubComments:
    """Named queries over the GitHub copies in the `comments` collection."""

    def __init__(self, collection):
        self.collection = collection

    async def known(self, gist_id: str) -> dict[int, dict]:
        """GitHub comment id -> our copy's _id, GitHub's updated_at as last read, deleted, hidden."""
        cursor = self.collection.find({"gist_id": gist_id, **FROM_GITHUB},
                                      {"github.id": 1, "github.updated": 1, "deleted": 1, "hidden": 1})
        return {doc["github"]["id"]: doc for doc in await cursor.to_list()}

    async def insert(self, docs: list[dict], session=None) -> None:
        if docs:
            await self.collection.insert_many(docs, session=session)

    async def replace_body(self, comment_id, body: str, html: str, updated: str, now: datetime.datetime) -> bool:
        """GitHub's edit of a comment still shown here; False if it was deleted here meanwhile."""
        result = await self.collection.update_one(
            {"_id": comment_id, "deleted": {"$ne": True}},
            {"$set": {"body": body, "html": html, "github.updated": updated, "updated_at": now}})
        return result.modified_count == 1

    async def mark_deleted(self, comment_ids: list, now: datetime.datetime) -> int:
        """Blank comments deleted on GitHub, as our own deletions are; how many were blanked now."""
        if not comment_ids:
            return 0
        result = await self.collection.update_many(
            {"_id": {"$in": list(comment_ids)}, "deleted": {"$ne": True}},
            {"$set": {"deleted": True, "body": "", "html": "", "updated_at": now}})
        return result.modified_count
