"""Discussion: comments, their live feed, the double-submit guard and discussion e-mails.

- comments (gist_id, created_at, _id): a gist page reads its whole thread, oldest first.
- comments (gist_id, updated_at): every process polls "what changed on the gists people
  have open" twice a second; this keeps that poll an index range scan.
- submit_guards and notification_windows expire by themselves (TTL); the code never
  trusts an expired-but-not-yet-removed document, it compares the time itself.
- notifications (due_at), (key): the flusher finds due items, then a person's items per gist.
"""


async def up(db):
    await db.comments.create_index([("gist_id", 1), ("created_at", 1), ("_id", 1)])
    await db.comments.create_index([("gist_id", 1), ("updated_at", 1)])
    await db.submit_guards.create_index("expires_at", expireAfterSeconds=0)
    await db.notification_windows.create_index("reopens_at", expireAfterSeconds=0)
    await db.notifications.create_index("due_at")
    await db.notifications.create_index("key")
