"""Our fixes to mongoeco, applied only inside the embedded database process.

1. The stall. The bug (docs/mongoeco-endsessions-bug.md): `endSessions` closes a session at once, even
while a write bound to it still runs in a worker thread. That write's commit and rollback
both re-check the session, fail, and neither runs: the engine's shared SQLite connection
keeps its `BEGIN IMMEDIATE` transaction open, every later write nests inside it and is
never committed, and the next change dispatch waits for the write lock on the event loop
for ever. The fix: `endSessions` forgets an implicit session instead of closing it, so a
running write finishes (commits or rolls back) with the session it started with. A session
in a transaction is still closed, which aborts the transaction as MongoDB does.

2. The O(N) insert (docs/mongoeco-insert-scan.md, issue 17): every single-document insert
deserialises every document of its collection to look for an equal `_id`, after the indexed
`storage_key` lookup has already answered that. The scan matters only where two different
storage keys can hold equal ids: numbers (1, 1.0 and Int64(1) are one `_id`), inside documents
and arrays too. The fix: an `_id` with no number in it is checked by the lookup alone.
"""

import hashlib
import inspect

# The versions, and the exact source of each method we replace or wrap, these fixes were checked against.
CHECKED_VERSIONS = {"4.11.0"}
CHECKED_SOURCE_SHA256 = {
    "WireSessionStore.end_sessions": "9f942be0ee0f526cead34c02116b578dc255bf7d96277c9834d26c3c27fa9be7",
    "SQLiteEngine._validate_document_against_unique_indexes":
        "f50e60835a1d8144657b7e0538a0ba7c77dc28f9dd1e10f0056175d53fe62b54",
}


class UnsupportedMongoeco(RuntimeError):
    pass


def _source_digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def end_sessions(self, session_specs: object) -> dict:
    """`WireSessionStore.end_sessions`, but implicit sessions are forgotten, not closed."""
    from mongoeco.wire._session_identity import wire_session_key

    if not isinstance(session_specs, list):
        raise TypeError("endSessions must be a list")
    for session_spec in session_specs:
        context = self._sessions.pop(wire_session_key(session_spec), None)
        if context is not None and context.session.transaction_active:
            context.session.close()
    return {"ok": 1.0}


def _indexed_id_check(validate):
    """`SQLiteEngine._validate_document_against_unique_indexes`, without the scan for an `_id` that has no number."""
    from mongoeco.core.identity import id_contains_numeric_value

    def validate_unique_indexes(self, db_name, coll_name, document, *, scan_payload_id=False, **options):
        if scan_payload_id and "_id" in document and not id_contains_numeric_value(document["_id"]):
            scan_payload_id = False
        return validate(self, db_name, coll_name, document, scan_payload_id=scan_payload_id, **options)

    validate_unique_indexes.patched = True
    return validate_unique_indexes


def apply() -> None:
    """Install the fixes; refuse (UnsupportedMongoeco) on a mongoeco they were not checked against."""
    import mongoeco
    from mongoeco.engines.sqlite import SQLiteEngine
    from mongoeco.wire.sessions import WireSessionStore

    if getattr(SQLiteEngine._validate_document_against_unique_indexes, "patched", False):
        return
    originals = {"WireSessionStore.end_sessions": WireSessionStore.end_sessions,
                 "SQLiteEngine._validate_document_against_unique_indexes":
                     SQLiteEngine._validate_document_against_unique_indexes}
    for name, original in originals.items():
        if mongoeco.__version__ not in CHECKED_VERSIONS or _source_digest(original) != CHECKED_SOURCE_SHA256[name]:
            raise UnsupportedMongoeco(
                f"mongoeco {mongoeco.__version__} is not a version tornadogists/mongoeco_patch.py was checked "
                f"against ({', '.join(sorted(CHECKED_VERSIONS))}); install one of those (see pyproject.toml) "
                f"or check the patch against this version's {name} and add it"
            )
    WireSessionStore.end_sessions = end_sessions
    SQLiteEngine._validate_document_against_unique_indexes = _indexed_id_check(
        SQLiteEngine._validate_document_against_unique_indexes)
