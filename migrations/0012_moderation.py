"""Moderation (issue 10): reports, the moderation log, hidden items, the dashboard's chart.

- reports: _id is "<item>:<reporter id>", so one person has one report per item (an
  upsert); (item, state) counts an item's open reporters, (state, updated_at) is the queue.
- moderation_log (at): the admin log, newest first; the code only ever inserts.
- comments / gists (hidden): the held-for-review list, the dashboard's counts.
- users (created_at): sign-ups per day on the dashboard (comments have theirs since 0005).
"""


async def up(db):
    await db.reports.create_index([("item", 1), ("state", 1)])
    await db.reports.create_index([("state", 1), ("updated_at", -1)])
    await db.moderation_log.create_index([("at", -1), ("_id", -1)])
    await db.comments.create_index("hidden")
    await db.gists.create_index("hidden")
    await db.users.create_index("created_at")
