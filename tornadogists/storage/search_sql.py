"""The SQLite search index's tables and its one query: words to FTS5 syntax, filters and sorts to SQL."""

import json
import sqlite3

from tornadogists.text.search_query import SearchQuery

VERSION = 2   # PRAGMA user_version: a file of another version is rebuilt
# meta: one row per public gist (what filters and sorts read); gist_text shares its rowid.
# comments: one row per public comment; comment_text shares its rowid.
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
CREATE VIRTUAL TABLE IF NOT EXISTS comment_text USING fts5(body, gist_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2');
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
    """A CTE `hits(rid, score, cid)`: each matching gist's meta rowid, its score, its best comment.

    bm25() only works in the FTS query itself: each is scored apart (MATERIALIZED keeps SQLite
    from folding it into the join), then joined. Unless `ranked`, nothing is scored: other sorts
    need only which gists match, and scoring is most of the work for a word in every gist."""
    ctes, parts, places, positive = [], [], tuple(p for p in query.places if p != "comments"), match_expression(query)
    if places:
        params["g"] = f"{COLUMNS.get(places, '')} : ({positive})" if places in COLUMNS else positive
        score = f"-{GIST_SCORE}" if ranked else "0"
        ctes.append(f"g(rid, s) AS MATERIALIZED (SELECT rowid, {score} FROM gist_text WHERE gist_text MATCH :g)")
        parts.append("SELECT rid, s AS score, NULL AS cid FROM g")
    if "comments" in query.places:
        params["c"] = f"({positive}) NOT ({_any_of(query.excluded)})" if query.excluded else positive
        # max() picks the best comment's row.
        score = "-bm25(comment_text)" if ranked else "0"
        ctes.append(f"t(gist_id, s, cid) AS MATERIALIZED (SELECT gist_id, {score}, rowid FROM comment_text "
                    "WHERE comment_text MATCH :c)")
        parts.append("SELECT m.rowid AS rid, max(t.s) AS score, t.cid AS cid FROM t "
                     "JOIN meta m ON m.gist_id = t.gist_id GROUP BY t.gist_id")
    union = " UNION ALL ".join(parts)
    hits = f"hits(rid, score, cid) AS (SELECT rid, sum(score), max(cid) FROM ({union}) GROUP BY rid)"
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
    """(how many gists match, one page of {gist_id, score, comment_id}). Runs on the index's thread."""
    params = {"limit": limit, "offset": offset}
    where = _filters(query, loved, params)
    if query.has_text:
        hits = _hits(query, params, ranked=sort == "relevance")
        source = f"WITH {hits} SELECT m.gist_id, r.score, r.cid, count(*) OVER () FROM hits r JOIN meta m ON m.rowid = r.rid"
    else:   # filters alone: every gist they allow, newest first for "relevance"
        source, sort = "SELECT m.gist_id, 0 AS score, NULL, count(*) OVER () FROM meta m", \
                       "newest" if sort == "relevance" else sort
    sql = f"{source} {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {ORDER[sort]} " \
          "LIMIT :limit OFFSET :offset"
    rows = db.execute(sql, params).fetchall()
    return (rows[0][3] if rows else 0), [_shown(db, gist_id, score, cid) for gist_id, score, cid, _ in rows]


def _shown(db: sqlite3.Connection, gist_id: str, score: float, comment_id: int | None) -> dict:
    """What a result shows, from the index alone: the card, the files' text, the best comment."""
    card, outline, code = db.execute("SELECT m.card, m.outline, t.code FROM meta m LEFT JOIN gist_text t ON "
                                     "t.rowid = m.rowid WHERE m.gist_id = ?", (gist_id,)).fetchone()
    comment = comment_id and db.execute("SELECT c.comment_id, c.author, t.body FROM comments c JOIN comment_text t "
                                        "ON t.rowid = c.rowid WHERE c.rowid = ?", (comment_id,)).fetchone()
    return {"gist_id": gist_id, "score": score, "card": card, "outline": outline, "code": code, "comment": comment}
