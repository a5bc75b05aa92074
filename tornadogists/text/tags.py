"""Tags: lower case, [a-z0-9+#.-], 1-30 characters, at most 8 a gist."""

import re

MAX_TAGS = 8
TAG = re.compile(r"[a-z0-9+#.-]{1,30}")


class InvalidTags(ValueError):
    """A user-facing message naming the bad tag."""


def parse_tags(text: str) -> list[str]:
    """`"Python, tornado ,async"` -> `["python", "tornado", "async"]`, duplicates dropped."""
    tags = []
    for raw in text.split(","):
        tag = raw.strip().lower()
        if not tag:
            continue
        if not TAG.fullmatch(tag):
            raise InvalidTags(
                f"The tag “{raw.strip()}” is not valid: use 1–30 characters from a–z, 0–9, + # . -"
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidTags(f"At most {MAX_TAGS} tags a gist, not {len(tags)}.")
    return tags
