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


def github_time(text) -> datetime.datetime | None:
    """GitHub's ISO 8601 time; None when it is missing or not a time (GitHub's answer is outside input)."""
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.UTC)
