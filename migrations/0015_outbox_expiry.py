"""Sent mail expires: the outbox keeps a sent message 30 days (for a look at what went out), then drops it.

A TTL index on sent_at, which MongoDB and the embedded engine both honour; a message not yet
sent has no sent_at and stays until it is sent or given up on. The other collections that only
grow already expire this way (sessions, sign_in_tokens, rate_limits, submit_guards,
notification_windows); the moderation log is an audit record and is kept.
"""

SENT_MAIL_KEPT_SECONDS = 30 * 24 * 3600


async def up(db):
    await db.outbox.create_index("sent_at", expireAfterSeconds=SENT_MAIL_KEPT_SECONDS)
