"""Copies of a person's handle and avatar kept in gists and comments, so lists need no join."""


class AuthorCopies:
    def __init__(self, gists, comments):
        self.gists = gists
        self.comments = comments

    async def rename(self, user_id, handle: str) -> None:
        await self.gists.update_many({"submitter.id": user_id}, {"$set": {"submitter.handle": handle}})
        await self.comments.update_many({"author.id": user_id}, {"$set": {"author.handle": handle}})

    async def change_avatar(self, user_id, avatar_url: str | None) -> None:
        """Only comments carry the avatar (gist cards show GitHub's owner)."""
        if avatar_url:
            update = {"$set": {"author.avatar_url": avatar_url}}
        else:
            update = {"$unset": {"author.avatar_url": ""}}
        await self.comments.update_many({"author.id": user_id}, update)
