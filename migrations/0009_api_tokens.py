"""Personal API tokens (issue 12).

- api_tokens.hash unique: a request's token is found by its SHA-256, and two tokens never share one.
- api_tokens.user_id: the account page lists a person's tokens.
"""


async def up(db):
    await db.api_tokens.create_index("hash", unique=True)
    await db.api_tokens.create_index("user_id")
