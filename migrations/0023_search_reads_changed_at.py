"""The search index catches up by `changed_at`, a date, and `changed_ms` is no longer written.

0021 added `changed_ms` because the embedded engine read ranges of numbers, not dates, from an
index. It never did for these: a millisecond time is a 64-bit integer, which mongoeco 4.11.0
leaves out of its index entries and compares wrongly in ranges (docs/mongoeco-insert-scan.md),
so each catch-up read every gist (3 s at 50,000). Dates are read from the index since the index
patch. Old gists keep the unused field (rewriting every gist costs minutes on a big site); only
its index goes.
"""


async def up(db):
    await db.gists.drop_index("changed_ms_1")
