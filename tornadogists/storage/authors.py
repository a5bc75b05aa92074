"""Copies of a person's handle and avatar kept in gists and comments, so lists need no join."""


class AuthorCopies:
    def __init__(self, gists, comments):
        self.gists = gists   # the Gists storage: a changed copy changes those gists' pages
        self.comments = comments

    async def rename(self, user_id, handle: str) -> None:
        await self.gists.collection.update_many({"submitter.id": user_id}, {"$set": {"submitter.handle": handle}})
        await self.comments.update_many({"author.id": user_id}, {"$set": {"author.handle": handle}})
        await self.comments.update_many({"reactions.by.id": user_id}, {"$set": {"reactions.$[r].by.handle": handle}},
                                        array_filters=[{"r.by.id": user_id}])
        await self._pages_changed(user_id, reacted=True)

    async def change_avatar(self, user_id, avatar_url: str | None) -> None:
        """Only comments carry the avatar (gist cards show GitHub's owner)."""
        if avatar_url:
            update = {"$set": {"author.avatar_url": avatar_url}}
        else:
            update = {"$unset": {"author.avatar_url": ""}}
        await self.comments.update_many({"author.id": user_id}, update)
        await self._pages_changed(user_id)

    async def _pages_changed(self, user_id, reacted: bool = False) -> None:
        """`reacted`: the pages where they reacted show their handle too."""
        by = {"$or": [{"author.id": user_id}, {"reactions.by.id": user_id}]} if reacted else {"author.id": user_id}
        commented = await self.comments.distinct("gist_id", by)
        submitted = await self.gists.collection.distinct("gist_id", {"submitter.id": user_id})
        await self.gists.bump({"gist_id": {"$in": sorted(set(commented) | set(submitted))}})
