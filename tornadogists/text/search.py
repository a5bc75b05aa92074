"""Full-text search helpers: what a gist stores for the text index, and excerpts around a match."""

import re

# The text index reads these two fields; nested `files.*` paths are not indexed by every server.
SEARCH_TEXT_MAX = 256 * 1024
MAX_QUERY = 200
EXCERPT_WIDTH = 160
# MongoDB's $text syntax: "a phrase", -negated, plain words.
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def search_fields(files: list[dict]) -> dict:
    """The gist fields the text index covers besides description and tags."""
    names = " ".join(file["name"] for file in files)
    text, size = [], 0
    for file in files:
        content = file.get("content")
        if content is None or size >= SEARCH_TEXT_MAX:
            continue
        text.append(content[: SEARCH_TEXT_MAX - size])
        size += len(text[-1])
    return {"file_names": names, "search_text": "\n".join(text)}


def _tokens(query: str):
    """(negated, text, is_phrase) for each phrase or word; an unclosed quote runs to the end."""
    for minus, phrase, minus2, word in _QUERY_TOKEN.findall(query):
        text = phrase if phrase or not word else word.lstrip("-")
        if re.search(r"\w", text):
            yield bool(minus or minus2 or word.startswith("-")), text, not word


def normalise_query(query: str) -> str:
    """The query rebuilt from its words and phrases, so stray quotes and dashes are no syntax errors."""
    return " ".join(("-" if negated else "") + (f'"{text}"' if phrase else text)
                    for negated, text, phrase in _tokens(query))


def query_terms(query: str) -> list[str]:
    """The words a result must have matched (negated ones left out), lower case, once each."""
    terms = []
    for negated, text, _ in _tokens(query):
        for term in re.findall(r"\w+", text.lower()) if not negated else ():
            if term not in terms:
                terms.append(term)
    return terms


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
