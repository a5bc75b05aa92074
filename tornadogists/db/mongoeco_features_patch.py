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
other cached fact is cleared as before.
"""

from tornadogists.db.mongoeco_patch import require_checked

CHECKED_VERSIONS = {"4.11.0"}
CHECKED_SOURCE_SHA256 = "b70cb80c5babec3797b207c848ac82f04edfff02f2a682841a278ac8086dad77"
ARRAY_FACTS = ("top_level_array", "traverses_array")


def _array_paths(fact: str, field: str) -> list[str]:
    from mongoeco.engines.sqlite import path_array_prefixes

    return [field] if fact == "top_level_array" else list(path_array_prefixes(field))


def _still_true(conn, key: tuple, value, serialized_document: str) -> bool:
    """Whether the cached fact `key: value` holds after inserting this document."""
    from mongoeco.engines.sqlite_query import json_path_for_field

    fact, _, field = key[2].partition(":")
    if fact not in ARRAY_FACTS or not isinstance(value, bool):
        return False
    if value:
        return True
    return not any(conn.execute("SELECT json_type(?, ?) = 'array'", (serialized_document, json_path_for_field(path)))
                   .fetchone()[0] for path in _array_paths(fact, field))


def apply() -> None:
    """Install the fix; refuse (UnsupportedMongoeco) on a mongoeco it was not checked against."""
    from mongoeco.engines import sqlite

    original = sqlite._sqlite_insert_document_record
    if getattr(original, "tornadogists_patched", False):
        return
    require_checked(original, CHECKED_VERSIONS, CHECKED_SOURCE_SHA256, "tornadogists/db/mongoeco_features_patch.py")

    def insert_document_record(conn, **arguments):
        forget = arguments["invalidate_collection_features_cache"]
        cache = forget.__self__._collection_features_cache

        def invalidate(db_name: str, coll_name: str) -> None:
            # A copy first: the engine's other threads fill the cache meanwhile (dict() copies under the GIL).
            kept = {key: value for key, value in dict(cache).items() if key[:2] == (db_name, coll_name)
                    and _still_true(conn, key, value, arguments["serialized_document"])}
            forget(db_name, coll_name)
            cache.update(kept)

        return original(conn, **arguments | {"invalidate_collection_features_cache": invalidate})

    insert_document_record.tornadogists_patched = True
    sqlite._sqlite_insert_document_record = insert_document_record
