"""Uniqueness the code relies on, and expiry the database does for us.

- gists.gist_id unique: two concurrent submissions of one gist store it once.
- users.handle and users.email unique: one account per address, handles are URLs.
- sign_in_tokens TTL: expired links disappear without a cleanup job.
"""


async def up(db):
    await db.gists.create_index("gist_id", unique=True)
    await db.gists.create_index([("submitted_at", -1), ("_id", -1)])
    await db.users.create_index("handle", unique=True)
    await db.users.create_index("email", unique=True, sparse=True)
    await db.sign_in_tokens.create_index("expires_at", expireAfterSeconds=0)
