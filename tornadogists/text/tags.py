"""Tags: lower case, [a-z0-9+#.-], 1-30 characters, at most 8 a gist."""

import re

MAX_TAGS = 8
TAG = re.compile(r"[a-z0-9+#.-]{1,30}")
# Room for MAX_TAGS full-length tags with generous separators; anything longer is refused
# before it is split, so the work per request stays small however much is sent.
MAX_FIELD = 400


class InvalidTags(ValueError):
    """A user-facing message naming the bad tag."""


def parse_tags(text: str) -> list[str]:
    """`"Python, tornado ,async"` -> `["python", "tornado", "async"]`, duplicates dropped."""
    if len(text) > MAX_FIELD:
        raise InvalidTags(
            f"Too many tags: at most {MAX_TAGS} a gist, each 1–30 characters, separated by commas "
            f"({MAX_FIELD} characters in all)."
        )
    tags: dict[str, None] = {}  # keeps the order, finds duplicates at once
    for raw in text.split(","):
        tag = raw.strip().lower()
        if not tag:
            continue
        if not TAG.fullmatch(tag):
            raise InvalidTags(
                f"The tag “{raw.strip()}” is not valid: use 1–30 characters from a–z, 0–9, + # . -"
            )
        tags[tag] = None
    if len(tags) > MAX_TAGS:
        raise InvalidTags(f"At most {MAX_TAGS} tags a gist, not {len(tags)}.")
    return list(tags)
