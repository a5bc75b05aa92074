"""Our fix to mongoeco's wire server, applied only inside the embedded database process.

The bug (docs/mongoeco-endsessions-bug.md): `endSessions` closes a session at once, even
while a write bound to it still runs in a worker thread. That write's commit and rollback
both re-check the session, fail, and neither runs: the engine's shared SQLite connection
keeps its `BEGIN IMMEDIATE` transaction open, every later write nests inside it and is
never committed, and the next change dispatch waits for the write lock on the event loop
for ever. The fix: `endSessions` forgets an implicit session instead of closing it, so a
running write finishes (commits or rolls back) with the session it started with. A session
in a transaction is still closed, which aborts the transaction as MongoDB does.
"""

import hashlib
import inspect

# The versions, and the exact source of the method we replace, this patch was checked against.
CHECKED_VERSIONS = {"4.11.0"}
CHECKED_SOURCE_SHA256 = "9f942be0ee0f526cead34c02116b578dc255bf7d96277c9834d26c3c27fa9be7"


class UnsupportedMongoeco(RuntimeError):
    pass


def _source_digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def require_checked(original, versions: set, source_sha256: str, patch_module: str) -> None:
    """Raise UnsupportedMongoeco unless mongoeco and `original`'s source are what a patch was checked against."""
    import mongoeco

    if mongoeco.__version__ not in versions or _source_digest(original) != source_sha256:
        raise UnsupportedMongoeco(
            f"mongoeco {mongoeco.__version__} is not a version {patch_module} was checked "
            f"against ({', '.join(sorted(versions))}); install one of those (see pyproject.toml) "
            f"or check the patch against this version's {original.__qualname__} and add it"
        )


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


def apply() -> None:
    """Install the fix; refuse (UnsupportedMongoeco) on a mongoeco it was not checked against."""
    from mongoeco.wire.sessions import WireSessionStore

    original = WireSessionStore.end_sessions
    if original is end_sessions:
        return
    require_checked(original, CHECKED_VERSIONS, CHECKED_SOURCE_SHA256, "tornadogists/db/mongoeco_patch.py")
    WireSessionStore.end_sessions = end_sessions
