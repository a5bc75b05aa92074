"""Our fix to mongoeco forgetting what it knows about a collection on every insert (embedded process only).

The bug (docs/mongoeco-insert-scan.md, second part): before an insert into a collection
with a unique index, the engine asks whether any stored document holds an array on the
index's path (`_field_traverses_array_in_collection`, `_field_is_top_level_array_in_collection`):
one SQL scan of the whole collection each, cached — but every insert clears that cache, so
the next insert scans again. Submitting a gist or creating an account cost a scan of every
gist or person, and loading N gists cost N scans.

Both questions ask "does some document hold an array at this path?". An insert adds one
document: a cached "yes" stays yes (a stale yes only sends the engine down its slower,
array-aware path), and a cached "no" stays no when the new document itself holds no array
there, which SQLite's own `json_type` answers on the new document's stored form. Every
other cached fact is cleared as before. An update is the same case for the document it
writes (a stale "yes" after an array is taken away is again only slower); it is wrapped
too, or every love, comment count or hot score of a gist made the next write to `gists`
scan them all. The engine's "some document holds a tagged value of this type (bytes,
decimal, undefined) at this path", asked before every read it plans, is the same kind of
fact and is kept the same way, and so is "some document holds a DBRef on the way to this
dotted path", asked before every read on one (`author.id`).

A rollback forgot everything the engine knew about every collection, and our writes roll
back by design: an upsert that finds a live lease, notification window or submit guard
collides on `_id` (DuplicateKeyError), so that two processes cannot both take it. Each
comment posted (its notification window) made the next write to `gists` scan all of them
for tagged values and arrays at `version` (0.4 s at 50,000 gists). A write that changed no
row (the connection's `total_changes` did not move since it began) leaves the file as it
was, so what the engine knew before it still holds: those facts are put back after the
engine's rollback clears them. A rollback that undid a change clears them as before.

Kept over a restart: the engine starts knowing nothing, so the first read of each field after a
start scanned its whole collection for each of these facts (0.3–0.4 s each over 50,000 gists, 1.3 s
over 456,103 comments; the first `/tags`, tag, user or gist page paid several). A clean stop writes
every fact the engine then holds (all are answers about the documents, which it forgets on any
write it cannot keep them over) to a table of the file (`tornadogists_kept_facts`), and the next
start reads them back. Triggers
on the engine's `documents` table empty that table on any insert, update or delete of a document,
by whichever program writes the file (another mongoeco version, the unpatched engine, sqlite3): a
fact is read back only if no document changed since it was written. Where the triggers are missing
(a file someone rebuilt), nothing is read back. A killed engine keeps nothing it learnt since its
start, and its first write emptied the table.
"""

import functools
import json

from tornadogists.db.mongoeco_patch import require_checked

CHECKED_VERSIONS = {"4.11.0"}
CHECKED_SOURCE_SHA256 = "b70cb80c5babec3797b207c848ac82f04edfff02f2a682841a278ac8086dad77"
CHECKED_UPDATE_SOURCE_SHA256 = "24d7c163f39d6669de9cfab760f4a65aad9fb243aaa031043ff3bf28ce286cd7"
CHECKED_TAGGED_SOURCE_SHA256 = "daf633059f94499c53efe79cec01d1309be1503d568e13bef3d402cc2ae4eb39"
CHECKED_DBREF_SOURCE_SHA256 = "9125df16865d71057c9eb95fe3c6c75dfb80d7e738878ac78b7bd30900f1ef7f"
CHECKED_WRITE_SCOPE_SHA256 = {"_begin_write": "6dfd7953116f97fd62157eb8f53e983fe753e8cef5ed53206a97d26ed8a62fcd",
                              "_rollback_write": "dba44aeb1e50dd69044f172216757f61012fb70ae2ba2fd8370dfcdb8a19fc40"}
CHECKED_LIFECYCLE_SHA256 = {"_connect_sync": "2bd887c02adb69e71276fe8f60c05e7c620ad30697b4582789dd8494e95dcd9b",
                            "_disconnect_sync": "7ae47879d283e1b20cf7c5139fba223a997a00d9cf5c9f1000246c4781db3c37"}
ARRAY_FACTS = ("top_level_array", "traverses_array")
# "Some document holds a value of this tagged type (bytes, decimal, undefined...) at this path":
# asked before planning a read, so after every write each read scanned for it again.
TAGGED_FACT = "tagged_type"
# "Some document holds a DBRef on the way to this dotted path" (`author` of `author.id`): asked
# before planning a read on a dotted path; forgotten on every write, each comment made the next
# read of a person's comments scan all 456,103 of them again (about 1 s at 50,000 gists).
DBREF_FACT = "traverses_dbref"
KEPT_FACTS = ("tornadogists_kept_facts", "db_name TEXT, coll_name TEXT, fact TEXT, value TEXT")   # value: JSON
FORGETTING_TRIGGERS = {f"tornadogists_kept_facts_{event.lower()}": event for event in ("INSERT", "UPDATE", "DELETE")}


def _array_paths(fact: str, field: str) -> list[str]:
    from mongoeco.engines.sqlite import path_array_prefixes

    return [field] if fact == "top_level_array" else list(path_array_prefixes(field))


def _still_true(conn, key: tuple, value, serialized_document: str) -> bool:
    """Whether the cached fact `key: value` holds after inserting this document."""
    from mongoeco.engines.sqlite_query import json_path_for_field

    fact, _, field = key[2].partition(":")
    if fact not in (*ARRAY_FACTS, TAGGED_FACT, DBREF_FACT) or not isinstance(value, bool):
        return False
    if value:
        return True
    if fact == DBREF_FACT:   # the engine's own test (_field_traverses_dbref_in_collection), on one document
        from mongoeco.core.codec import DocumentCodec

        parts = field.split(".")
        return not any(conn.execute("SELECT json_extract(?, ?) IS 'dbref'", (
            serialized_document, json_path_for_field(".".join(parts[:length]))
            + f'."{DocumentCodec._MARKER}".{DocumentCodec._TYPE}')).fetchone()[0] for length in range(1, len(parts)))
    if fact == TAGGED_FACT:   # the engine's own test (_field_contains_tagged_value_type_in_collection), on one document
        from mongoeco.core.codec import DocumentCodec

        field, _, value_type = field.rpartition(":")
        path = json_path_for_field(field) + f'."{DocumentCodec._MARKER}".{DocumentCodec._TYPE}'
        return conn.execute("SELECT json_extract(?, ?) IS NOT ?", (serialized_document, path, value_type)).fetchone()[0]
    return not any(conn.execute("SELECT json_type(?, ?) = 'array'", (serialized_document, json_path_for_field(path)))
                   .fetchone()[0] for path in _array_paths(fact, field))


def _keeping_array_facts(forget, written):
    """The engine's cache invalidation `forget`, keeping the array facts still true once the document
    is written: `written()` gives (the write's connection, the document's stored JSON), or None when
    nothing is known (then all is forgotten, as the engine does)."""
    cache = forget.__self__._collection_features_cache

    def invalidate(db_name: str, coll_name: str) -> None:
        known = written()
        # A copy first: the engine's other threads fill the cache meanwhile (dict() copies under the GIL).
        kept = {} if known is None else {
            key: value for key, value in dict(cache).items()
            if key[:2] == (db_name, coll_name) and _still_true(known[0], key, value, known[1])}
        forget(db_name, coll_name)
        cache.update(kept)
    return invalidate


def _depth(engine, conn) -> int:
    """How many write scopes are open on the connection (the engine's savepoint frames)."""
    state = engine._session_runtime._write_states.get(conn)
    return len(state.frames) if state is not None else 0


def _keeping_facts_over_empty_rollbacks(engine_class) -> None:
    begin, rollback = engine_class._begin_write, engine_class._rollback_write

    def begin_write(self, conn, context) -> None:
        begin(self, conn, context)
        # Where this scope began, by its depth: the next scope as deep overwrites it.
        self.__dict__.setdefault("tornadogists_write_starts", {})[id(conn), _depth(self, conn)] = conn.total_changes

    def rollback_write(self, conn, context) -> None:
        began = self.__dict__.get("tornadogists_write_starts", {}).get((id(conn), _depth(self, conn)))
        known = dict(self._collection_features_cache) if began == conn.total_changes else {}
        try:
            rollback(self, conn, context)
        finally:
            self._collection_features_cache.update(known)

    engine_class._begin_write, engine_class._rollback_write = begin_write, rollback_write


def _read_kept_facts(engine) -> None:
    """What the last clean stop knew, if no document changed since; then the triggers that keep it so."""
    conn = engine._connection
    table, columns = KEPT_FACTS
    triggers = {name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}
    conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")   # first (the triggers write to it)
    if set(FORGETTING_TRIGGERS) <= triggers:
        engine._collection_features_cache.update(
            ((db_name, coll_name, fact), json.loads(value)) for db_name, coll_name, fact, value
            in conn.execute(f"SELECT db_name, coll_name, fact, value FROM {table}"))
    for name, event in FORGETTING_TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON documents BEGIN DELETE FROM {table}; END")
    conn.commit()


def _write_kept_facts(engine) -> None:
    """The facts the engine knows now, for its next start (the engine is stopping, no write is open)."""
    conn = engine._connection
    rows = [(*key, json.dumps(value)) for key, value in dict(engine._collection_features_cache).items()
            if isinstance(value, bool | str)]   # (answers about documents, which the engine forgets on any write)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(f"DELETE FROM {KEPT_FACTS[0]}")
    conn.executemany(f"INSERT INTO {KEPT_FACTS[0]} VALUES (?, ?, ?, ?)", rows)
    conn.commit()


def _keeping_facts_over_restarts(engine_class) -> None:
    connect, disconnect = engine_class._connect_sync, engine_class._disconnect_sync

    @functools.wraps(connect)   # the index patch checks the engine's own source through it
    def connect_sync(self) -> None:
        connect(self)
        with self._lock:
            if self._connection_count == 1:   # the file was opened now: the engine knows nothing yet
                _read_kept_facts(self)

    @functools.wraps(disconnect)
    def disconnect_sync(self) -> None:
        with self._lock:
            if self._connection_count == 1 and self._connection is not None and not self._connection.in_transaction:
                _write_kept_facts(self)   # the last user leaves: the file is closed next
        disconnect(self)

    engine_class._connect_sync, engine_class._disconnect_sync = connect_sync, disconnect_sync


def apply() -> None:
    """Install the fix; refuse (UnsupportedMongoeco) on a mongoeco it was not checked against."""
    from mongoeco.engines import sqlite

    insert, update = sqlite._sqlite_insert_document_record, sqlite._sqlite_update_with_operation
    if getattr(insert, "tornadogists_patched", False):
        return
    require_checked(insert, CHECKED_VERSIONS, CHECKED_SOURCE_SHA256, "tornadogists/db/mongoeco_features_patch.py")
    require_checked(update, CHECKED_VERSIONS, CHECKED_UPDATE_SOURCE_SHA256,
                    "tornadogists/db/mongoeco_features_patch.py")
    require_checked(sqlite.SQLiteEngine._field_contains_tagged_value_type_in_collection, CHECKED_VERSIONS,
                    CHECKED_TAGGED_SOURCE_SHA256, "tornadogists/db/mongoeco_features_patch.py")
    require_checked(sqlite.SQLiteEngine._field_traverses_dbref_in_collection, CHECKED_VERSIONS,
                    CHECKED_DBREF_SOURCE_SHA256, "tornadogists/db/mongoeco_features_patch.py")
    for name, digest in CHECKED_WRITE_SCOPE_SHA256.items() | CHECKED_LIFECYCLE_SHA256.items():
        require_checked(getattr(sqlite.SQLiteEngine, name), CHECKED_VERSIONS, digest,
                        "tornadogists/db/mongoeco_features_patch.py")

    def insert_document_record(conn, **arguments):
        invalidate = _keeping_array_facts(arguments["invalidate_collection_features_cache"],
                                          lambda: (conn, arguments["serialized_document"]))
        return insert(conn, **arguments | {"invalidate_collection_features_cache": invalidate})

    def update_with_operation(**arguments):
        # Every way an update writes ends with rebuilding the document's index entries from the
        # updated document, then invalidating: the rebuild is where that document is seen.
        seen = {}
        rebuild = arguments["rebuild_scalar_entries_for_document"]

        def rebuild_scalar_entries(conn, db_name, coll_name, storage_key, document, indexes):
            seen.update(conn=conn, document=document)
            return rebuild(conn, db_name, coll_name, storage_key, document, indexes)

        def written():
            return (seen["conn"], arguments["serialize_document"](seen["document"])) if seen else None

        invalidate = _keeping_array_facts(arguments["invalidate_collection_features_cache"], written)
        return update(**arguments | {"rebuild_scalar_entries_for_document": rebuild_scalar_entries,
                                     "invalidate_collection_features_cache": invalidate})

    insert_document_record.tornadogists_patched = True
    sqlite._sqlite_insert_document_record = insert_document_record
    sqlite._sqlite_update_with_operation = update_with_operation
    _keeping_facts_over_empty_rollbacks(sqlite.SQLiteEngine)
    _keeping_facts_over_restarts(sqlite.SQLiteEngine)

