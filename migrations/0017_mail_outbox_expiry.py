"""Sent mail expires in the outbox the site really uses: 0015 indexed `outbox`, a collection
nothing writes, while the mail queue is `mail_outbox` (tornadogists/storage/__init__.py).
Kept 30 days, as 0015 meant."""

SENT_MAIL_KEPT_SECONDS = 30 * 24 * 3600


async def up(db):
    await db.mail_outbox.create_index("sent_at", expireAfterSeconds=SENT_MAIL_KEPT_SECONDS)
    await db.outbox.drop()
