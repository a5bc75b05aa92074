"""Reactions on comments (issue 19), kept in the comment itself.

- comments (gist_id, reacted_at): the live poll asks for comments changed *or reacted to* lately
  (an $or whose every branch has its index, as MongoDB needs to use them).
- comments (reactions.by.id): a renamed person's handle is changed in the reactions they left.
"""


async def up(db):
    await db.comments.create_index([("gist_id", 1), ("reacted_at", 1)])
    await db.comments.create_index("reactions.by.id")
