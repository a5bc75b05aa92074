"""The SQLite search index's tables and its one query: words to FTS5 syntax, filters and sorts to SQL."""

import json
import sqlite3

from tornadogists.text.search_query import SearchQuery

VERSION = 3   # PRAGMA user_version: a file of another version is rebuilt
# meta: one row per public gist (what filters and sorts read); gist_text and discussion_text share its rowid.
# comments: one row per public comment; comment_text shares its rowid.
# discussion_text: a gist's public comments, one after the other, which a search of comments matches and
# scores. Matching 168,963 comments and finding their gists took 300 ms at 50,000 gists; their 38,395
# discussions, 7 ms (40 ms scored). comment_text then only picks the best comment of a page's results.
# Between two comments, a word nobody types (a private-use character): no phrase runs from one into the next.
COMMENT_BREAK = "\n\ue000\n"
SCHEMA = """
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value REAL);
CREATE TABLE IF NOT EXISTS meta (
    rowid INTEGER PRIMARY KEY, gist_id TEXT UNIQUE NOT NULL, submitter TEXT, owner TEXT, languages TEXT,
    tags TEXT, submitted_at REAL, loves INTEGER, comments INTEGER, text_key TEXT, card TEXT, outline TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS gist_text USING fts5(title, tags, names, code,
    tokenize = 'unicode61 remove_diacritics 2');
-- The search form's language choices (SELECT DISTINCT): from this index alone, 3 ms, not a scan of meta (30–130 ms).
CREATE INDEX IF NOT EXISTS meta_languages ON meta (languages);
CREATE TABLE IF NOT EXISTS comments (rowid INTEGER PRIMARY KEY, comment_id TEXT UNIQUE NOT NULL, gist_id TEXT,
    author TEXT, stamp TEXT);
CREATE INDEX IF NOT EXISTS comments_gist ON comments (gist_id);
CREATE VIRTUAL TABLE IF NOT EXISTS comment_text USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS discussion_text USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
"""
# As the MongoDB text indexes weigh them (migrations/0007_search_text.py): description and
# tags 10, file names 5, contents and comments 1. bm25() is lower for better matches.
GIST_SCORE = "bm25(gist_text, 10.0, 10.0, 5.0, 1.0)"
COLUMNS = {("title",): "{title tags names}", ("code",): "{code}"}
ORDER = {
    "relevance": "score DESC, m.submitted_at DESC, m.gist_id DESC",
    "newest": "m.submitted_at DESC, m.gist_id DESC",
    "loved": "m.loves DESC, m.submitted_at DESC, m.gist_id DESC",
    "discussed": "m.comments DESC, m.submitted_at DESC, m.gist_id DESC",
}


def _quoted(text: str) -> str:
    """A word or phrase as an FTS5 string: no operator inside it ever counts."""
    return '"' + text.replace('"', '""') + '"'


def match_expression(query: SearchQuery) -> str:
    """As MongoDB's $text reads a query: every phrase required if there are any, else any of the words."""
    if query.phrases:
        return " AND ".join(_quoted(phrase) for phrase in query.phrases)
    return " OR ".join(_quoted(word) for word in query.words)


def _any_of(texts: list[str]) -> str:
    return " OR ".join(_quoted(text) for text in texts)


def _hits(query: SearchQuery, params: dict, ranked: bool) -> str:
    """A CTE `hits(rid, score, discussed)`: each matching gist's meta rowid, its score, whether its
    discussion matched.

    bm25() only works in the FTS query itself: each is scored apart (MATERIALIZED keeps SQLite
    from folding it into the join), then joined. Unless `ranked`, nothing is scored: other sorts
    need only which gists match, and scoring is most of the work for a word in every gist."""
    ctes, parts, places, positive = [], [], tuple(p for p in query.places if p != "comments"), match_expression(query)
    if places:
        params["g"] = f"{COLUMNS.get(places, '')} : ({positive})" if places in COLUMNS else positive
        score = f"-{GIST_SCORE}" if ranked else "0"
        ctes.append(f"g(rid, s) AS MATERIALIZED (SELECT rowid, {score} FROM gist_text WHERE gist_text MATCH :g)")
        parts.append("SELECT rid, s AS score, 0 AS discussed FROM g")
    if "comments" in query.places:   # -word leaves out a discussion that holds it
        params["c"] = f"({positive}) NOT ({_any_of(query.excluded)})" if query.excluded else positive
        score = "-bm25(discussion_text)" if ranked else "0"
        ctes.append(f"t(rid, s) AS MATERIALIZED (SELECT rowid, {score} FROM discussion_text "
                    "WHERE discussion_text MATCH :c)")
        parts.append("SELECT rid, s AS score, 1 AS discussed FROM t")
    union = " UNION ALL ".join(parts)
    hits = f"hits(rid, score, discussed) AS MATERIALIZED (SELECT rid, sum(score), max(discussed) FROM ({union}) " \
           "GROUP BY rid)"
    return ", ".join([*ctes, hits])


def _filters(query: SearchQuery, loved: list[str] | None, params: dict) -> list[str]:
    where = []
    for n, language in enumerate(query.languages):
        params[f"language{n}"] = f" {language.replace(' ', '_')} "
        where.append(f"instr(m.languages, :language{n})")
    for n, tag in enumerate(query.tags):
        params[f"tag{n}"] = f" {tag} "
        where.append(f"instr(m.tags, :tag{n})")
    for field, values in (("submitter", query.users), ("owner", query.owners)):
        for n, value in enumerate(values):
            params[f"{field}{n}"] = value
            where.append(f"m.{field} = :{field}{n}")
    if loved is not None:
        params["loved"] = json.dumps(loved)
        where.append("m.gist_id IN (SELECT value FROM json_each(:loved))")
    if query.excluded:   # -word leaves out a gist whose own text holds it
        params["x"] = _any_of(query.excluded)
        where.append("m.rowid NOT IN (SELECT rowid FROM gist_text WHERE gist_text MATCH :x)")
    return where


def count_and_page(db: sqlite3.Connection, query: SearchQuery, loved: list[str] | None, sort: str, offset: int,
                   limit: int) -> tuple[int, list[dict]]:
    """(how many gists match, one page of {gist_id, score, card, outline, code, comment}).
    Runs on the index's thread."""
    params = {"limit": limit, "offset": offset}
    where = _filters(query, loved, params)
    where = f"WHERE {' AND '.join(where)}" if where else ""
    if query.has_text:
        found, columns = "hits r JOIN meta m ON m.rowid = r.rid", "m.gist_id, r.score, r.discussed"
        ctes = f"WITH {_hits(query, params, ranked=sort == 'relevance')} "
    else:   # filters alone: every gist they allow, newest first for "relevance"
        found, columns, ctes = "meta m", "m.gist_id, 0 AS score, 0", ""
        sort = "newest" if sort == "relevance" else sort
    # The count: a subquery over the same (materialized) hits, run once; count(*) OVER () took 60 ms more.
    count = f"(SELECT count(*) FROM {found} {where})"
    if query.has_text and sort == "relevance" and not where:
        # Unfiltered, every hit is a listed gist: the count needs no join, and only the hits scoring at
        # least the page's last (ties too) are joined to be sorted (a word in every gist: 190 -> 140 ms).
        last = "SELECT score FROM hits ORDER BY score DESC LIMIT 1 OFFSET :offset + :limit - 1"
        count, where = "(SELECT count(*) FROM hits)", f"WHERE r.score >= coalesce(({last}), r.score)"
    sql = f"{ctes}SELECT {columns}, {count} FROM {found} {where} ORDER BY {ORDER[sort]} LIMIT :limit OFFSET :offset"
    rows = db.execute(sql, params).fetchall()
    best = _best_comments(db, [gist_id for gist_id, _, discussed, _ in rows if discussed], params.get("c"))
    return (rows[0][3] if rows else 0), [_shown(db, gist_id, score, best.get(gist_id)) for gist_id, score, _, _ in rows]


def _best_comments(db: sqlite3.Connection, gist_ids: list[str], matching: str | None) -> dict[str, tuple]:
    """gist_id -> (comment_id, author, body) of its comment that best matches `matching`, for a page's results.

    One pass over the words' matches, kept to these gists' comments (`+ 0`: a rowid handed to FTS5
    makes it read the word's whole list again for each, 15 s for a thread of 2,500)."""
    if not gist_ids:
        return {}
    rows = db.execute(
        "WITH own(rid) AS MATERIALIZED (SELECT rowid FROM comments WHERE gist_id IN"
        "   (SELECT value FROM json_each(:ids))),"
        " hit(rid, r) AS MATERIALIZED (SELECT rowid, rank FROM comment_text WHERE comment_text MATCH :c"
        "   AND rowid + 0 IN own),"
        " best(rid) AS (SELECT rid FROM (SELECT h.rid, row_number() OVER (PARTITION BY c.gist_id ORDER BY h.r, h.rid) n"
        "   FROM hit h JOIN comments c ON c.rowid = h.rid) WHERE n = 1)"
        " SELECT c.gist_id, c.comment_id, c.author, t.body FROM best b JOIN comments c ON c.rowid = b.rid"
        " JOIN comment_text t ON t.rowid = b.rid", {"ids": json.dumps(gist_ids), "c": matching}).fetchall()
    return {gist_id: comment for gist_id, *comment in rows}


def _shown(db: sqlite3.Connection, gist_id: str, score: float, comment: tuple | None) -> dict:
    """What a result shows, from the index alone: the card, the files' text, its best comment."""
    card, outline, code = db.execute("SELECT m.card, m.outline, t.code FROM meta m LEFT JOIN gist_text t ON "
                                     "t.rowid = m.rowid WHERE m.gist_id = ?", (gist_id,)).fetchone()
    return {"gist_id": gist_id, "score": score, "card": card, "outline": outline, "code": code, "comment": comment}
