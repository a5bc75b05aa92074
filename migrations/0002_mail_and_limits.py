"""The mail queue is polled by due time; rate-limit windows expire by themselves."""


async def up(db):
    await db.mail_outbox.create_index([("status", 1), ("due_at", 1)])
    await db.rate_limits.create_index("expires_at", expireAfterSeconds=0)
