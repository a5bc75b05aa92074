"""Mentions find people by GitHub login too (services/comments.py): an index on it, not unique
(a login can move to a new GitHub account, the old one keeping its stale copy here)."""


async def up(db):
    await db.users.create_index("github.login")
