"""The embedded default's search engine: an SQLite FTS5 index beside the database file.

The embedded MongoDB answers $text by reading every document, which takes seconds at
50,000 gists. This index is derived from MongoDB and never the source of truth: every
write that changes what search sees stamps the gist (`changed_at`, storage/gists.py; a
comment's writes bump its gist too), and `sync()` reads the gists stamped since it last
looked (one indexed range) and their comments (indexed by gist) before a search runs.
A new index reads every gist a page at a time (skip and limit: a cursor over a whole
collection makes the embedded server read all of it before its first batch).
Results come from the index alone (cards, file text, comment authors), since the embedded
engine scans for `$in`. A missing, unreadable or older file is rebuilt from MongoDB.
All SQLite work runs on one thread of its own, never on the IO loop.
"""

import asyncio
import concurrent.futures
import datetime
import hashlib
import itertools
import json
import logging
import sqlite3
import time
from pathlib import Path

from bson import json_util

from tornadogists.storage.gists import CARD_FIELDS
from tornadogists.storage.search_sql import COMMENT_BREAK, SCHEMA, VERSION, count_and_page
from tornadogists.text.search_query import SearchQuery

log = logging.getLogger(__name__)

# A write stamped a moment before the last sync may land after it: look this far back again.
OVERLAP_MS = 5000
# How long a search waits for the index to catch up: a new one takes minutes (445 s at 50,000 gists).
SYNC_WAIT = 5
BATCH = 200
GIST_FIELDS = {**CARD_FIELDS, "file_names": 1, "revision": 1, "changed_at": 1}
FILE_FIELDS = {"files.n": 1, "files.name": 1, "files.content": 1}
COMMENT_FIELDS = {"gist_id": 1, "body": 1, "deleted": 1, "hidden": 1, "updated_at": 1, "author.handle": 1}
# Cards keep their datetimes (aware, UTC) and ObjectIds through JSON.
CARD_JSON = json_util.JSONOptions(tz_aware=True, tzinfo=datetime.UTC,
                                  datetime_representation=json_util.DatetimeRepresentation.ISO8601)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _ms(at: datetime.datetime) -> int:
    return int(at.timestamp() * 1000)   # the site's client is tz_aware


def _at(ms: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(milliseconds=ms)


class SearchUnavailable(Exception):
    """The index is being built, or is far behind: str() says so, for a 503."""

    retry_after = 60   # seconds, for the answer's Retry-After


def _public(gist: dict) -> bool:
    return not gist.get("hidden")


def _words(values) -> str:
    """' a b ': a list a filter finds one value in with instr(), whole values only."""
    return " " + " ".join(str(value).lower().replace(" ", "_") for value in values or () if value) + " "


def _text_key(gist: dict) -> str:
    """Changes when what the text index holds of a gist may have changed (not on a love)."""
    parts = [gist.get("description"), gist.get("tags"), gist.get("file_names"), gist.get("revision")]
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()


def _meta_row(gist: dict) -> dict:
    submitted = gist.get("submitted_at") or EPOCH
    return {"gist_id": gist["gist_id"], "submitter": ((gist.get("submitter") or {}).get("handle") or "").lower(),
            "owner": ((gist.get("owner") or {}).get("login") or "").lower(), "languages": _words(gist.get("languages")),
            "tags": _words(gist.get("tags")), "submitted_at": submitted.timestamp(), "loves": gist.get("loves") or 0,
            "comments": gist.get("comment_count") or 0, "text_key": _text_key(gist),
            "card": json_util.dumps({key: gist[key] for key in CARD_FIELDS if key in gist}, json_options=CARD_JSON)}


def _text(files: list[dict]) -> tuple[str, str]:
    """(every file's content, one after the other; where each starts) as the index stores them."""
    outline, contents, line = [], [], 0
    for file in files:
        content = file.get("content") or ""
        outline.append([file.get("n"), file.get("name"), line])
        contents.append(content)
        line += content.count("\n") + 1
    return "\n".join(contents), json.dumps(outline)


class SqliteSearchIndex:
    def __init__(self, path: Path, gists, files, comments, batch: int = BATCH, sync_wait: float = SYNC_WAIT):
        self.path, self.batch, self.sync_wait = Path(path), batch, sync_wait   # gists read at a time; seconds
        self.gists, self.files, self.comments = gists, files, comments   # MongoDB collections
        self._thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="search-index")
        self._db: sqlite3.Connection | None = None
        self._lock = asyncio.Lock()
        self._filling: asyncio.Future | None = None
        self.building: int | None = None   # while a new index fills: how many gists it holds so far

    async def _run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as error:   # unreadable or older: it is only derived data, so start again
                log.warning("search index %s: %s; rebuilding it from MongoDB", self.path, error)
                self.path.unlink(missing_ok=True)
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")   # other processes of the site read and write it too
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != VERSION and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            db.close()
            raise sqlite3.DatabaseError(f"version {version}, not {VERSION}")
        db.executescript(SCHEMA + f"PRAGMA user_version = {VERSION};")
        return db

    def _state(self, name: str) -> int | None:
        row = self._connect().execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else None

    def _set_state(self, name: str, value: int) -> None:
        self._connect().execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, value))

    async def sync(self) -> None:
        """Bring the index up to what MongoDB holds now (all of it when the index is new)."""
        async with self._lock:
            since = await self._run(self._state, "changed_ms")
            if since is None:
                return await self._fill()
            # One indexed range: the gists changed since (a comment's every write bumps its gist too).
            cursor = self.gists.find({"changed_at": {"$gte": _at(since - OVERLAP_MS)}}, GIST_FIELDS)
            while batch := await cursor.to_list(self.batch):
                await self._catch_up(batch)
                since = max([since, *(_ms(gist["changed_at"]) for gist in batch if gist.get("changed_at"))])
            await self._run(self._set_state, "changed_ms", since)

    async def _fill(self) -> None:
        """Everything, from the start: a new (or unreadable, or older) index file."""
        started = int(time.time() * 1000)
        log.info("building the search index %s from MongoDB", self.path)
        await self._run(self._clear)
        self.building = 0
        try:   # a gist moved by a write meanwhile may be skipped or read twice: it changed, so it is read again
            for page in itertools.count():
                batch = await self.gists.find({}, GIST_FIELDS).skip(page * self.batch).limit(self.batch).to_list()
                if not batch:
                    break
                await self._catch_up(batch)
                self.building += len(batch)
            await self._run(self._set_state, "changed_ms", started)   # what changed meanwhile is read again
        finally:
            self.building = None
        log.info("search index built in %.1f s", time.time() - started / 1000)

    async def _catch_up(self, gists: list[dict]) -> None:
        """Index these gists as they are now, and their comments."""
        await self._write_gists(gists)
        ids, comments = [gist["gist_id"] for gist in gists], []
        for gist_id in ids:   # one at a time, each an indexed lookup: 200 cursors at once take a minute
            comments += await self.comments.find({"gist_id": gist_id}, COMMENT_FIELDS).to_list()
        await self._run(self._put_comments, comments, ids)

    def _clear(self) -> None:
        db = self._connect()
        with db:
            db.execute("BEGIN")
            for table in ("meta", "gist_text", "discussion_text", "comments", "comment_text", "state"):
                db.execute(f"DELETE FROM {table}")

    async def _write_gists(self, gists: list[dict]) -> None:
        known = await self._run(self._text_keys, [gist["gist_id"] for gist in gists])
        stale = [gist["gist_id"] for gist in gists if _public(gist) and known.get(gist["gist_id"]) != _text_key(gist)]
        files = await asyncio.gather(*(self.files.find_one({"_id": gist_id}, FILE_FIELDS) for gist_id in stale))
        contents = {gist_id: _text((doc or {}).get("files") or []) for gist_id, doc in zip(stale, files)}
        await self._run(self._put_gists, gists, contents)

    def _text_keys(self, gist_ids: list[str]) -> dict[str, str]:
        rows = self._connect().execute("SELECT gist_id, text_key FROM meta WHERE gist_id IN (SELECT value FROM "
                                       "json_each(?))", (json.dumps(gist_ids),))
        return dict(rows.fetchall())

    def _put_gists(self, gists: list[dict], contents: dict[str, tuple[str, str]]) -> None:
        db = self._connect()
        with db:
            db.execute("BEGIN")
            for gist in gists:
                rowid = db.execute("SELECT rowid FROM meta WHERE gist_id = ?", (gist["gist_id"],)).fetchone()
                if not _public(gist):   # hidden or removed: never found
                    if rowid:   # the next new gist may get its rowid: nothing of this one stays under it
                        for table in ("meta", "gist_text", "discussion_text"):
                            db.execute(f"DELETE FROM {table} WHERE rowid = ?", rowid)
                    continue
                row = _meta_row(gist)
                if rowid is None:
                    rowid = (db.execute("INSERT INTO meta (gist_id) VALUES (?)", (gist["gist_id"],)).lastrowid,)
                row["outline"] = None
                if gist["gist_id"] in contents:
                    code, row["outline"] = contents[gist["gist_id"]]
                    db.execute("DELETE FROM gist_text WHERE rowid = ?", rowid)
                    db.execute("INSERT INTO gist_text (rowid, title, tags, names, code) VALUES (?, ?, ?, ?, ?)",
                               (rowid[0], gist.get("description") or "", " ".join(gist.get("tags") or ()),
                                gist.get("file_names") or "", code))
                else:   # its text is as indexed: only its card, filters and sorts changed (a love, a comment)
                    row["text_key"] = None
                db.execute("UPDATE meta SET submitter = :submitter, owner = :owner, languages = :languages, "
                           "tags = :tags, submitted_at = :submitted_at, loves = :loves, comments = :comments, "
                           "card = :card, text_key = coalesce(:text_key, text_key), "
                           "outline = coalesce(:outline, outline) WHERE gist_id = :gist_id", row)

    def _put_comments(self, comments: list[dict], gist_ids: list[str]) -> None:
        """Index these comments; those of `gist_ids` not among them are gone (deleted, or the gist removed)."""
        db, changed = self._connect(), set()
        with db:
            db.execute("BEGIN")
            kept = json.dumps([str(comment["_id"]) for comment in comments])
            for gist_id in gist_ids:
                gone = db.execute("SELECT rowid FROM comments WHERE gist_id = ? AND comment_id NOT IN "
                                  "(SELECT value FROM json_each(?))", (gist_id, kept)).fetchall()
                db.executemany("DELETE FROM comments WHERE rowid = ?", gone)
                db.executemany("DELETE FROM comment_text WHERE rowid = ?", gone)
                if gone:
                    changed.add(gist_id)
            for comment in comments:
                key, stamp = str(comment["_id"]), str(comment.get("updated_at"))
                found = db.execute("SELECT rowid, stamp FROM comments WHERE comment_id = ?", (key,)).fetchone()
                if found and found[1] == stamp:
                    continue   # as indexed: a gist of 2,000 comments got a love
                changed.add(comment["gist_id"])
                if found:
                    db.execute("DELETE FROM comments WHERE rowid = ?", found[:1])
                    db.execute("DELETE FROM comment_text WHERE rowid = ?", found[:1])
                if comment.get("deleted") or comment.get("hidden") or not comment.get("body"):
                    continue   # as storage/comments.py's PUBLIC: deleted and hidden ones are never found
                rowid = db.execute("INSERT INTO comments (comment_id, gist_id, author, stamp) VALUES (?, ?, ?, ?)",
                                   (key, comment["gist_id"], (comment.get("author") or {}).get("handle"),
                                    stamp)).lastrowid
                db.execute("INSERT INTO comment_text (rowid, body) VALUES (?, ?)", (rowid, comment["body"]))
            for gist_id in gist_ids:
                _put_discussion(db, gist_id, gist_id in changed)

    async def find(self, query: SearchQuery, loved: list[str] | None, sort: str, offset: int,
                   limit: int) -> tuple[int, list[dict]]:
        """(how many public gists match, one page of results in `sort` order): each result is
        {gist_id, score, gist: its card, files: [{n, name, content}], comment: its best match or None},
        all read from the index itself (the embedded server reads `$in` and ranges by scanning).
        SearchUnavailable when the index is not caught up within `sync_wait` seconds (it goes on meanwhile)."""
        syncing = asyncio.ensure_future(self.sync())
        try:
            await asyncio.wait_for(asyncio.shield(syncing), self.sync_wait)
        except TimeoutError:
            syncing.add_done_callback(_log_failure)   # nobody waits for it now: a failure is logged
            raise SearchUnavailable(
                f"Search is being set up: {self.building:,} gists are in its index so far. Try again in a minute."
                if self.building is not None else
                "Search is catching up with the latest changes. Try again in a minute.") from None
        total, hits = await self._run(count_and_page, self._connect(), query, loved, sort, offset, limit)
        return total, [_result(hit) for hit in hits]

    async def languages(self) -> list[str]:
        return await self._run(self._languages)

    def _languages(self) -> list[str]:
        rows = self._connect().execute("SELECT DISTINCT languages FROM meta").fetchall()
        return sorted({language.replace("_", " ") for (languages,) in rows for language in languages.split()})

    def start(self) -> None:
        """Catch up in the background now (the whole index, when it is new)."""
        self._filling = asyncio.ensure_future(self.sync())
        self._filling.add_done_callback(_log_failure)

    async def close(self) -> None:
        if self._filling:
            self._filling.cancel()
        async with self._lock:   # a batch being written finishes first
            await self._run(self._close)
        self._thread.shutdown(wait=False)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _put_discussion(db: sqlite3.Connection, gist_id: str, changed: bool) -> None:
    """A public gist's discussion_text as its comments are now: after a change, or when the gist
    came back (shown again after hiding: its comments were kept, its discussion was not)."""
    rowid = db.execute("SELECT rowid FROM meta WHERE gist_id = ?", (gist_id,)).fetchone()
    if rowid is None or not changed and db.execute("SELECT 1 FROM discussion_text WHERE rowid = ?", rowid).fetchone():
        return
    db.execute("DELETE FROM discussion_text WHERE rowid = ?", rowid)
    db.execute("INSERT INTO discussion_text (rowid, body) SELECT ?, group_concat(t.body, ?) FROM comments c "
               "JOIN comment_text t ON t.rowid = c.rowid WHERE c.gist_id = ? HAVING count(*)",
               (rowid[0], COMMENT_BREAK, gist_id))


def _result(hit: dict) -> dict:
    """A row of search_sql.count_and_page as the search service shows it."""
    code, files = (hit["code"] or "").split("\n"), []
    outline = json.loads(hit["outline"] or "[]")
    for (n, name, start), following in zip(outline, outline[1:] + [[None, None, len(code)]]):
        files.append({"n": n, "name": name, "content": "\n".join(code[start:following[2]])})
    comment = hit["comment"] and {"_id": hit["comment"][0], "body": hit["comment"][2],
                                  "author": {"handle": hit["comment"][1]}}
    return {"gist_id": hit["gist_id"], "score": hit["score"], "comment": comment, "files": files,
            "gist": json_util.loads(hit["card"], json_options=CARD_JSON)}


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception():
        log.warning("catching the search index up failed (the next search tries again): %s", task.exception())

