"""Full-text search helpers: what a gist stores for the text index, and excerpts around a match."""

import re

EXCERPT_WIDTH = 160


def search_fields(files: list[dict]) -> dict:
    """The gist fields the text index covers besides description and tags: whole files, as
    stored (services/gists.py bounds a gist's contents to a few MB, well inside a document)."""
    return {"file_names": " ".join(file["name"] for file in files),
            "search_text": "\n".join(file["content"] for file in files if file.get("content") is not None)}


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _segments(line: str, pattern: re.Pattern, match: re.Match) -> list[tuple[str, bool]]:
    """Cut `line` to EXCERPT_WIDTH around `match`; split it into (text, is_match) pieces."""
    start = max(0, min(match.start() - EXCERPT_WIDTH // 3, len(line) - EXCERPT_WIDTH))
    piece = line[start:start + EXCERPT_WIDTH]
    pieces, at = [], 0
    for found in pattern.finditer(piece):
        pieces += [(piece[at:found.start()], False), (found.group(0), True)]
        at = found.end()
    pieces.append((piece[at:], False))
    if start > 0:
        pieces.insert(0, ("…", False))
    if start + EXCERPT_WIDTH < len(line):
        pieces.append(("…", False))
    return [(text, hit) for text, hit in pieces if text]


def excerpt(text: str, terms: list[str]) -> tuple[int, list[tuple[str, bool]]] | None:
    """The first line of `text` holding a term: (line number from 1, pieces), or None."""
    pattern = _pattern(terms)
    if pattern is None or not text:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        match = pattern.search(line)
        if match:
            return number, _segments(line, pattern, match)
    return None


def file_excerpt(files: list[dict], terms: list[str]) -> dict | None:
    """Where the terms appear in a gist's files: a line of content first, else a file name."""
    for file in files:
        found = excerpt(file.get("content") or "", terms)
        if found:
            return {"file": file["name"], "n": file["n"], "line": found[0], "pieces": found[1]}
    for file in files:
        found = excerpt(file["name"], terms)
        if found:
            return {"file": file["name"], "n": file["n"], "line": None, "pieces": found[1]}
    return None
