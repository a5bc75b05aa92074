"""Our fix to mongoeco's O(N) insert, applied only inside the embedded database process.

The bug (docs/mongoeco-insert-scan.md): every single-document insert (and save/replace of a
whole document) asks `SQLiteEngine._validate_document_against_unique_indexes` with
`scan_payload_id=True`, which deserializes every document of the collection to compare its
`_id` with the new one, after the indexed `storage_key` lookup just above has already
answered. The scan exists for ids whose equal values can have different storage keys:
numbers (1 == 1.0 == Int64(1) == Decimal128("1")) and bytes/Binary. A `str` or an ObjectId
equals another only when its storage key (`repr((type, value))`) is the same, so for those
the indexed lookup is the whole answer; every other id keeps the original scan.
"""

from tornadogists.db.mongoeco_patch import require_checked

# The versions, and the exact source of the method we wrap, this patch was checked against.
CHECKED_VERSIONS = {"4.11.0"}
CHECKED_SOURCE_SHA256 = "f50e60835a1d8144657b7e0538a0ba7c77dc28f9dd1e10f0056175d53fe62b54"


def _keyed_exactly(document_id: object) -> bool:
    """True for ids that equal another id only when their storage keys are equal."""
    from mongoeco._types._bson_objectid import OBJECT_ID_TYPES

    return type(document_id) is str or type(document_id) in OBJECT_ID_TYPES


def apply() -> None:
    """Install the fix; refuse (UnsupportedMongoeco) on a mongoeco it was not checked against."""
    from mongoeco.engines.sqlite import SQLiteEngine

    original = SQLiteEngine._validate_document_against_unique_indexes
    if getattr(original, "tornadogists_patched", False):
        return
    require_checked(original, CHECKED_VERSIONS, CHECKED_SOURCE_SHA256, "tornadogists/db/mongoeco_insert_patch.py")

    def validate(self, db_name, coll_name, document, *, exclude_storage_key=None, skip_id_check=False,
                 scan_payload_id=False):
        if scan_payload_id and _keyed_exactly(document.get("_id")):
            scan_payload_id = False
        return original(self, db_name, coll_name, document, exclude_storage_key=exclude_storage_key,
                        skip_id_check=skip_id_check, scan_payload_id=scan_payload_id)

    validate.tornadogists_patched = True
    SQLiteEngine._validate_document_against_unique_indexes = validate
