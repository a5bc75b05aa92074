"""One SQLite index for all of mongoeco's index entries, not one copy per MongoDB index (embedded process only).

The engine keeps the entries of every single-field index in one table shared by all
collections, `scalar_index_entries` (and those of array elements in `multikey_entries`), and
gives each MongoDB index a SQLite index of its own on that table, every one on the same
columns: (collection_id, index_name, type_score, element_key, storage_key). SQLite keeps every
index of a table in step on each row written, so each entry written or deleted, in whichever
collection, went into all of them: 34 and 25 copies in the benchmark's file. Rewriting one
comment's 4 entries took 3.7 ms with the 34 and 0.2 ms with one (on a copy of the 1,000-gist
file); a gist has 7, and a comment posted rewrites a gist's twice.

The engine names these SQLite indexes in three kinds of statement: `INDEXED BY` to read
through one, `CREATE INDEX` to make one, `DROP INDEX IF EXISTS` when a MongoDB index or a
collection goes. Every connection the engine opens is of its own class, `SQLiteConnection`;
ours rewrites those statements: a read or a create names the table's one shared index, and a
drop of one is left out (the engine deletes that MongoDB index's entries itself, as before).

A new file never has a copy. A file that has them (written before this patch, or opened by
the unpatched engine since, which makes its copies again) is read and written as the engine
does, through its copies, until `python -m tornadogists.db.mongoeco_entries_patch FILE` turns
them into the shared indexes once, with the site stopped: building the shared index and
dropping the copies takes minutes at 50,000 gists, longer than the site waits for its database.
"""

import functools
import re
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from tornadogists.db.mongoeco_patch import require_checked

CHECKED_VERSIONS = {"4.11.0"}
# The name of each copy, its quoting, and the connection class every connection is opened with.
CHECKED_SHA256 = {"_physical_scalar_index_name": "1a940fa22dc47044f30331eb27a63f6b4618e7b24bff10ca3ebde6b312182c1d",
                  "_physical_multikey_index_name": "f874f31966bf0794f4bdd665a20660bce3fcbe3302ab1baa3c72a779a361f5cc",
                  "_quote_identifier": "57b2c9e6a1b6de8b92911b4b4bd3673508c5186d764ca8860ffedfdc711dfe6b",
                  "_create_sqlite_connection": "cb4ac5d67e23de0a22b02af81458f5ae1f1af9fdd6f62f6528a3145e1a9c1fdb"}
KEY = "(collection_id, index_name, type_score, element_key, storage_key)"
SHARED = {"scidx": ("tornadogists_scalar_entries_key", "scalar_index_entries"),
          "mkidx": ("tornadogists_multikey_entries_key", "multikey_entries")}
NAMED = re.compile(r'(INDEXED BY|CREATE INDEX(?: IF NOT EXISTS)?|DROP INDEX IF EXISTS) "(scidx|mkidx)_[0-9a-f]{16}"')


def _named(match: re.Match) -> str:
    verb, kind = match.groups()
    if verb.startswith("DROP"):
        return "SELECT 1"   # the shared index stays: other MongoDB indexes' entries are in it
    return f'{"INDEXED BY" if verb == "INDEXED BY" else "CREATE INDEX IF NOT EXISTS"} "{SHARED[kind][0]}"'


@functools.lru_cache(maxsize=4096)
def shared(sql: str) -> str:
    """The engine's statement with each copy's name replaced by its table's shared index."""
    return NAMED.sub(_named, sql) if "idx_" in sql else sql


def copies(conn) -> list[str]:
    """The engine's own copies of the entries index that the file holds."""
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN (?, ?) AND "
        "(name GLOB 'scidx_*' OR name GLOB 'mkidx_*')", [table for _, table in SHARED.values()])]


def share(path: str) -> None:
    """Once, with the site stopped: the shared indexes made, then every copy dropped."""
    with closing(sqlite3.connect(path)) as conn, conn:
        tables = {table for (table,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        for name, table in SHARED.values():
            if table in tables:
                conn.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON {table} {KEY}')
        for name in copies(conn):
            conn.execute(f'DROP INDEX "{name}"')


def _has_copies(path: str) -> bool:
    if path == ":memory:" or not Path(path).exists():
        return False
    with closing(sqlite3.connect(path)) as conn:
        return bool(copies(conn))


def apply() -> None:
    """Install the fix; refuse (UnsupportedMongoeco) on a mongoeco it was not checked against."""
    from mongoeco.engines import sqlite

    engine_class = sqlite.SQLiteEngine
    if getattr(sqlite.SQLiteConnection, "tornadogists_patched", False):
        return
    for method, digest in CHECKED_SHA256.items():
        require_checked(getattr(engine_class, method), CHECKED_VERSIONS, digest,
                        "tornadogists/db/mongoeco_entries_patch.py")

    class SharedEntriesConnection(sqlite.SQLiteConnection):
        tornadogists_patched = True
        sharing = True   # False on a file that still has the engine's copies

        def execute(self, sql, parameters=(), /):
            return super().execute(shared(sql) if self.sharing else sql, parameters)

        def executemany(self, sql, parameters, /):
            return super().executemany(shared(sql) if self.sharing else sql, parameters)

    connect = engine_class._connect_sync

    @functools.wraps(connect)   # the other patches check the engine's own source through it
    def connect_sync(self) -> None:
        with self._lock:
            if self._connection_count == 0:   # the file is opened now: looked at before the engine writes to it
                SharedEntriesConnection.sharing = not _has_copies(str(self._path))
        connect(self)

    sqlite.SQLiteConnection = SharedEntriesConnection
    engine_class._connect_sync = connect_sync


if __name__ == "__main__":
    share(sys.argv[1])
