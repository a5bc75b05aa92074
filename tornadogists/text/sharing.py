"""What a link to a page shows where it is pasted: a short plain-text summary (meta description, Open Graph)."""

import re

SUMMARY_CHARS = 200   # what chat previews and search results show of a description
FIRST_LINES = 3


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """`text` on one line, cut at a word before `limit` characters (with "…" when cut)."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut[:cut.rindex(" ")] if " " in cut[limit // 2:] else cut).rstrip(" ,.;:") + "…"


def first_lines(files: list[dict], count: int = FIRST_LINES) -> str:
    """The first non-blank lines of a gist's first shown file (a short look at its code)."""
    for file in files:
        content = file.get("content")
        if content and file.get("kind") not in ("binary", "too_large"):
            lines = (line.strip() for line in content[:4000].splitlines())
            return " ".join([line for line in lines if line][:count])
    return ""


def gist_summary(gist: dict) -> str:
    """A gist in a sentence: its description (else its first lines), its files and whose it is."""
    owner = (gist.get("owner") or {}).get("login") or gist["submitter"]["handle"]
    count = len(gist.get("files") or [])
    by = f" · {count} file{'' if count == 1 else 's'} by {owner}"
    what = gist.get("description") or first_lines(gist.get("files") or []) or gist["gist_id"]
    return summary(what, SUMMARY_CHARS - len(by)) + by
