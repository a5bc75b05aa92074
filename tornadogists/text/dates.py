"""Times as people read them: "3 hours ago"."""

import datetime

UNITS = [("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400),
         ("hour", 3600), ("minute", 60)]


def ago(when: datetime.datetime, now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    seconds = (now - when).total_seconds()
    for name, size in UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {name}{'s' if count > 1 else ''} ago"
    return "just now"


def iso(when: datetime.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when.isoformat(timespec="seconds")
