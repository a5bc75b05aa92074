"""@handle mentions: how one is written, and the rendered links made to point at real people. Pure.

Rendering (text/markdown.py) links every `@handle` outside code and links to /users/{handle},
without knowing who exists; `resolve` then points each link at the person it names, or makes
it text again. Two steps because rendering runs in a child process that has no database.
"""

import re

MAX_MENTIONS = 10   # distinct people per comment: more would make a comment a mailing list
# Like GitHub: not inside a word or an address (`a@b`), not after a slash (`/@x` in a path).
MENTION = re.compile(r"(?<![\w@/.+-])@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?![\w@])", re.IGNORECASE)
# A mention as the sanitiser writes it (text/markdown.py, LINK_REL): `<a href="/users/x" rel="...">@X</a>`.
_RENDERED = re.compile(r'<a href="/users/([a-z0-9-]+)" rel="[a-z ]+">@([A-Za-z0-9-]+)</a>')


def resolve(html: str, people: dict[str, str]) -> str:
    """Rendered mentions made links to `people[handle]` (a handle or GitHub login -> the site
    handle), the others text again; a link written as `[@x](/users/x)` is read the same way."""
    def link(match: re.Match) -> str:
        if match[2].lower() != match[1]:
            return match[0]   # a link written by hand to someone's page, with other text
        handle = people.get(match[1])
        return "@" + match[2] if handle is None else match[0].replace(match[1], handle, 1)
    return _RENDERED.sub(link, html)
