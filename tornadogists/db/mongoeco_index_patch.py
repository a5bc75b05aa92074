"""Six places where mongoeco has an index and does not use it, or rebuilds it (embedded process only).

1. **TTL entries are found by scanning** (docs/mongoeco-insert-scan.md, "Measured at 50,000").
   Every write to a collection with a TTL index deletes the document's old TTL entries with
   `WHERE collection_id = ? AND storage_key = ?`, but the table's keys are
   `(collection_id, index_name, storage_key)` and `(collection_id, expires_at_epoch_ms, ...)`:
   SQLite reads every TTL entry of the collection, twice. A session, a rate-limit hit, a
   queued mail or a submit guard cost O(size of its collection). The fix is the missing
   index, created when the engine opens its file.

2. **A multi-document `find` on an indexed field reads the whole collection.** `find_one`
   answers `{field: value}` from the engine's single-field index table
   (`scalar_index_entries`), but `find`, `count_documents`, `update_many` and `delete_many`
   translate the same condition into `json_extract` on every document of the collection:
   a gist's comments, loves or files cost a scan of every comment, love or file, and "the
   comments of the last 30 days" a scan of all of them. For equality on a string, a bool or an
   ObjectId, or a range (`$gt`, `$gte`, `$lt`, `$lte`) on a number, string or date, on a
   plain single-field index (not sparse, partial or collated), the condition becomes "its
   storage key is among the index's entries for this value (or range, within the value's
   type)": the entries `find_one` already trusts, kept by every write, and for a multikey
   index (every non-unique one) the entries of array elements too. A unique index has none
   of those, so it is used only where the engine knows no document holds an array there
   (a scan it remembers: 5 s over 456,103 comments, hence multikey first). A dotted path
   (`author.id`) is read the same way only where every document has one scalar entry there,
   which the engine gives a document only where the path crosses no array; that also answers
   the engine's "does the path cross an array?" without its scan of the collection. (Without `INDEXED BY`: the engine creates an
   index's physical index with its first entry, and every one of them has the same columns.)
   A lower and an upper bound on one field are one run of its entries where no document holds
   an array there: apart, each bound matched most of the collection (counting one day's comments
   at 50,000 gists read the 450,000 before its end: 620 ms, now 2 ms through `count`).
   Beside an equality its index answers, a range on a field that holds no array is a seek of each
   found document's own entry instead (a person's comments of the last 30 days: the month's 42,000
   entries were listed for it, 70 ms; now 2 ms).

3. **A listing is sorted over the whole collection.** A sort on `(field, _id)`, the order
   every listing pages by, is done by SQLite in a temporary B-tree over every document (the
   engine's sort expressions are not its indexes'), about 1 s at 50,000 gists however small
   the page. Where the field has a plain single-field index whose entries hold one value of
   one type for every document (counted, from the index, on each such read), the rows are
   read in the entries' order: `element_key` orders numbers, strings, dates and ObjectIds as
   MongoDB does within one type, and ties are ordered by the engine's own `_id` expressions,
   so SQLite sorts only runs of equal keys and stops at the page's end. Otherwise the engine
   sorts as before. The engine's check whether a sort needs Python (a scan of every matching
   document for arrays, 64-bit integers or decimals at the field, on every query: 0.5 s at
   50,000 gists) is answered "no" where those conditions hold for every sort field and every `_id`
   is a string or an ObjectId (the documents' storage keys begin with the id's type): also for a
   sort on one field, which the engine then does in SQL over the matches only (the held queues).

4. **Every start rebuilds every index entry.** When the engine opens its file it deletes all
   of `scalar_index_entries` and rebuilds it from every document of every indexed collection:
   minutes at 50,000 gists, longer than the site waits for its database. Those entries are kept
   by every write, TTL purge and `create_index` in the write's own transaction, so the rebuild
   only matters for a file last written by another mongoeco version. It runs once per version:
   the file records (`tornadogists_engine`) which version last rebuilt it, and a start on that
   version only makes sure each index's SQLite index exists.

5. **The first query on a field after a start reads the whole collection, five times.** Before
   planning a filter the engine asks, for each field in it, whether any document holds a
   decimal (three tags), bytes or `undefined` there: each a scan it remembers until the
   process ends (3.9 s for the first read of a gist's comments over 456,103 comments). Where
   the field has a plain multikey index (or a unique one with an entry for every document),
   the index's entries answer "none" at once: those
   values have entries of their own types (number, bytes, undefined), and a field with no entry
   of that type holds none of them. Otherwise one scan answers all five questions for the field
   (the engine ran one for each). Likewise "does any document hold an array here?"
   (a scan): no, where the field's index has a scalar entry for every document. Counts are
   taken again after any write.

   A `find` for an `_id` that is not there fell through the engine's lookup by storage key
   to a scan of the whole collection (8.7 s for a missing revision's files at 50,000 gists:
   every submission asks first); a string or ObjectId `_id` is now its storage key in SQL too.

6. **Building an index costs O(n) a document.** `create_index` deletes each document's entry
   of the new index (`collection_id`, `storage_key`, `index_name`) before adding it; SQLite
   served that DELETE from a `scidx_*` index on (collection_id, index_name), reading every entry
   made so far. The missing index on (collection_id, storage_key, index_name), created when the
   engine opens its file, makes it a seek: 16,028 comments indexed in 4.2 s instead of 26.7 s.
"""

import json

from tornadogists.db.mongoeco_patch import require_checked

CHECKED_VERSIONS = {"4.11.0"}
CHECKED_CONNECT_SHA256 = "2bd887c02adb69e71276fe8f60c05e7c620ad30697b4582789dd8494e95dcd9b"
CHECKED_TRANSLATE_SHA256 = "703ebc7ee809fce9109507c426b1da34f5432151cae2bd6f074cd85cc1f78932"
CHECKED_SORT_SHA256 = "58bc3d75d781da86c541646b61e8adb067973b457fbe8eca8d229dede4a46a76"
CHECKED_SORT_PYTHON_SHA256 = "40df45295b763ee5d93460df5736fec596308f6d0ef8b462f37a1b86a79cdf03"
CHECKED_ARRAY_SHA256 = "fb4a72a41afc93b6d458254c7c37bf330dd3a6ff0dd82c0f745cbbd7dac5d765"
CHECKED_TRAVERSES_SHA256 = "0e56ab940673053bdc19fcf5d742f88b3ef0e0784842330e5c2ed22acfc65fb7"
CHECKED_UNIFORM_SHA256 = "b4ad649774909a6a81a06008eb5d0ec4c28f2679480f7d4e773ca50a673a007b"
CHECKED_TAGGED_SHA256 = "daf633059f94499c53efe79cec01d1309be1503d568e13bef3d402cc2ae4eb39"
CHECKED_BACKFILL_SHA256 = "60b356827c169f59c92b94d0167a818b64e4d52c5305dd2c4f9207da150f3648"  # the rebuild itself
# Entry types whose element_key, compared as text, orders values as MongoDB does.
# (Each has a type score of its own, so entries of one score hold one of these types.)
ORDERED_TYPES = {"number", "string", "datetime", "objectid", "bool"}
EQUAL_TYPES = {"string", "objectid", "bool"}   # equal values, equal keys (numbers: 1 == 1.0 == Int64(1))
RANGE_TYPES = {"number", "string", "datetime"}
# The entry type each tagged value the engine asks about is indexed as.
ENTRY_TYPE_OF_TAG = {"decimal": "number", "decimal128": "number", "decimal128_public": "number",
                     "bytes": "bytes", "undefined": "undefined"}
REBUILT_BY = "scalar index entries rebuilt by mongoeco"
# (collection_id, storage_key, index_name): create_index deletes a document's entry of the new
# index before adding it, and SQLite chose an index on (collection_id, index_name) for that DELETE,
# which reads every entry made so far: building an index cost O(n) a document (part 6).
ENTRIES_BY_DOCUMENT = ("CREATE INDEX IF NOT EXISTS tornadogists_scalar_entries_document "
                       "ON scalar_index_entries (collection_id, storage_key, index_name)")
TTL_BY_STORAGE_KEY = ("CREATE INDEX IF NOT EXISTS tornadogists_ttl_entries_storage "
                      "ON ttl_index_entries (collection_id, storage_key)")


def _plain_index(engine, db_name: str, coll_name: str, field: str):
    """The single-field index on `field` whose entries hold every document's scalar value there."""
    for index in engine._load_indexes(db_name, coll_name):
        if (index["fields"] == [field] and engine._supports_scalar_index(index)   # ascending or descending, not text
                and index.get("scalar_physical_name") and not index.get("sparse")
                and not index.get("partial_filter_expression") and not index.get("collation")):
            return index
    return None


def _by_storage_key(engine, plan):
    from mongoeco._types._bson_objectid import ObjectId

    if type(plan.value) not in (str, ObjectId):   # numbers: equal values, other storage keys
        return None
    return "documents.storage_key = ?", [engine._storage_key(plan.value)]


def _operator(plan) -> str | None:
    from mongoeco.core import query_plan

    return {query_plan.EqualsCondition: "=", query_plan.GreaterThanCondition: ">",
            query_plan.GreaterThanOrEqualCondition: ">=", query_plan.LessThanCondition: "<",
            query_plan.LessThanOrEqualCondition: "<="}.get(type(plan))


def _signature(engine, value, operator: str):
    """(entry type, entry key) of a value an index lookup can answer with this operator, or None."""
    try:
        element_type, element_key = engine._multikey_value_signature(value) or (None, None)
    except NotImplementedError:   # NaN, infinity
        return None
    return (element_type, element_key) if element_type in (EQUAL_TYPES if operator == "=" else RANGE_TYPES) else None


def _through_index(engine, db_name: str, coll_name: str, plan):
    """`plan` as a lookup in the index's entries, or None where that would not be the same answer."""
    operator = _operator(plan)
    if operator is None:
        return None
    if plan.field == "_id":   # a string or an ObjectId is its storage key; a missing one was a scan
        return _by_storage_key(engine, plan) if operator == "=" else None
    if not (signature := _signature(engine, plan.value, operator)):
        return None
    index = _plain_index(engine, db_name, coll_name, plan.field)
    if index is None:
        return None
    if "." in plan.field:   # only where the path crosses no array: how entries are kept through them is not ours
        if not _has_no_array(engine, db_name, coll_name, plan.field):
            return None
        tables = ("scalar_index_entries",)
    elif index.get("multikey"):   # an array's elements have entries of their own, kept by every write
        tables = ("scalar_index_entries", "multikey_entries")
    elif engine._field_is_top_level_array_in_collection(db_name, coll_name, plan.field):   # a scan, once
        return None
    else:
        tables = ("scalar_index_entries",)
    return _entries_where(engine, db_name, coll_name, index, tables, signature[0], [(operator, signature[1])])


def _entries_where(engine, db_name, coll_name, index, tables, element_type, bounds, own: bool = False):
    """"The document's storage key is among the index's entries of this type within `bounds`"; with
    `own`, "the document's own entry is within them", a seek by document for each candidate row."""
    collection_id = engine._lookup_collection_id(engine._require_connection(), db_name, coll_name)
    if collection_id is None:
        return None
    # A range compares within its own type, as MongoDB does: {"$gte": 5} never matches a string.
    # One IN over a UNION ALL: with an OR of two INs SQLite reads every document of the collection.
    within = "".join(f" AND entry.element_key {operator} ?" for operator, _ in bounds)
    arguments = [collection_id, index["name"], engine._multikey_type_score(element_type), *(key for _, key in bounds)]
    if own:
        return ("EXISTS (SELECT 1 FROM scalar_index_entries AS entry INDEXED BY tornadogists_scalar_entries_document "
                "WHERE entry.collection_id = ? AND entry.storage_key = documents.storage_key AND "
                f"entry.index_name = ? AND entry.type_score = ?{within})", arguments)
    lookups = [f"SELECT entry.storage_key FROM {table} AS entry WHERE entry.collection_id = ? AND "
               f"entry.index_name = ? AND entry.type_score = ?{within}" for table in tables]
    return f"documents.storage_key IN ({' UNION ALL '.join(lookups)})", arguments * len(tables)


def _one_range(engine, db_name: str, coll_name: str, plan):
    """An `$and` whose parts hold a lower and an upper bound on one field, with that range read as
    one run of the field's index entries, or None. Apart, each bound's lookup matched most of the
    collection (the comments before tomorrow: 620 ms to count one day's 1,185 of 456,103). Only
    where no document holds an array there: MongoDB lets two elements of an array meet the bounds."""
    from mongoeco.core.query_plan import AndCondition

    if not isinstance(plan, AndCondition):
        return None
    bounds = {}
    for number, clause in enumerate(plan.clauses):
        operator = _operator(clause)
        if operator in (">", ">=", "<", "<=") and "." not in clause.field and clause.field != "_id":
            bounds.setdefault(clause.field, []).append((number, operator, clause.value))
    for field, parts in bounds.items():
        signatures = [_signature(engine, value, operator) for _, operator, value in parts]
        if (len(parts) != 2 or {operator[0] for _, operator, _ in parts} != {">", "<"} or None in signatures
                or signatures[0][0] != signatures[1][0]):
            continue
        index = _plain_index(engine, db_name, coll_name, field)
        if index is None or not _has_no_array(engine, db_name, coll_name, field):
            continue
        found = _entries_where(engine, db_name, coll_name, index, ("scalar_index_entries",), signatures[0][0],
                               [(operator, signature[1]) for (_, operator, _), signature in zip(parts, signatures)])
        rest = tuple(clause for number, clause in enumerate(plan.clauses) if number not in {parts[0][0], parts[1][0]})
        if found is None:
            return None
        if not rest:
            return found
        sql, params = engine._translate_query_plan_with_multikey(db_name, coll_name, AndCondition(rest))
        return f"({found[0]}) AND ({sql})", [*found[1], *params]
    return None


def _equality_first(engine, db_name: str, coll_name: str, plan):
    """An `$and` of an equality its index answers and ranges on fields that hold no array, with the
    lookup driving and each range a seek of that document's own entry (`_within`), or None. As two
    lookups, each range listed every entry within it: "this person's comments of the last 30 days"
    listed the month's 42,000 (70 ms a count, 2 ms this way)."""
    from mongoeco.core.query_plan import AndCondition

    def flat(clauses):   # {"t": {"$gt": 4, "$lt": 6}} is an $and of its own inside the query's
        return [part for clause in clauses for part in (flat(clause.clauses) if isinstance(clause, AndCondition)
                                                        else [clause])]

    if not isinstance(plan, AndCondition):
        return None
    clauses = flat(plan.clauses)
    for number, clause in enumerate(clauses):
        if _operator(clause) == "=" and (found := _through_index(engine, db_name, coll_name, clause)):
            break
    else:
        return None
    others = clauses[:number] + clauses[number + 1:]
    within = [_within(engine, db_name, coll_name, other) for other in others]
    if not any(within):
        return None
    parts = [found, *(sql or engine._translate_query_plan_with_multikey(db_name, coll_name, other)
                      for sql, other in zip(within, others))]
    return " AND ".join(f"({sql})" for sql, _ in parts), [value for _, params in parts for value in params]


def _within(engine, db_name: str, coll_name: str, plan):
    """A range as "this document's entry in the field's index is within it" (the entries table is keyed
    by document too), where no document holds an array there: then each has its one scalar entry."""
    operator = _operator(plan)
    if operator not in (">", ">=", "<", "<=") or plan.field == "_id":
        return None
    signature = _signature(engine, plan.value, operator)
    index = signature and _plain_index(engine, db_name, coll_name, plan.field)
    if not index or not _has_no_array(engine, db_name, coll_name, plan.field):
        return None
    return _entries_where(engine, db_name, coll_name, index, ("scalar_index_entries",), signature[0],
                          [(operator, signature[1])], own=True)


def _sort_index(engine, db_name: str, coll_name: str, sort):
    """(index, collection id, type score) for a sort on (field, _id) that part 3 reads in the
    field's single-field index order, or None. Counted again after any write (the connection's
    `total_changes`), so a query's two questions and the reads between writes cost one count."""
    if not sort or len(sort) != 2:
        return None
    (field, direction), tie = (tuple(part) for part in sort)
    if tie != ("_id", direction) or direction not in (1, -1):
        return None
    return _uniform(engine, db_name, coll_name, field)   # None for _id or a dotted field


def _uniform(engine, db_name: str, coll_name: str, field: str):
    """`_count_sort_index` for one field, remembered until a write."""
    if field == "_id" or "." in field:
        return None
    return _until_a_write(engine, ("sort", db_name, coll_name, field), _count_sort_index, db_name, coll_name, field)


def _sorts_without_python(engine, db_name: str, coll_name: str, plan, sort) -> bool:
    """Every sort field one value of one ordered type in every document (its index says so), or a
    plain `_id`, and no filter traversing arrays: what the engine's scan for arrays, objects,
    64-bit integers and decimals at a sort field would find nothing of."""
    return (bool(sort) and all(_ids_are_plain(engine, db_name, coll_name) if field == "_id"
                               else _uniform(engine, db_name, coll_name, field) for field, _ in sort)
            and not engine._plan_has_array_traversing_paths(db_name, coll_name, plan))


def _uniform_sort_type(engine, db_name: str, coll_name: str, field: str):
    """The engine's "every document holds a JSON string (or bool) at `field`", from the index:
    "string" or "bool"; None where every value is a date or an ObjectId (tagged objects in JSON);
    `...` (ask the engine) otherwise, numbers too: a decimal has a number's entry, not a JSON number."""
    found = _uniform(engine, db_name, coll_name, field)
    if not found:
        return ...
    kind = {engine._multikey_type_score(kind): kind for kind in ORDERED_TYPES}[found[2]]
    return {"string": "string", "bool": "bool", "datetime": None, "objectid": None}.get(kind, ...)


def _until_a_write(engine, key: tuple, compute, *arguments):
    """`compute(engine, *arguments)`, remembered until the engine writes. Every write
    goes through its own connection (`engine._connection`: its `total_changes` moves), while a
    read may run on a connection of its own, which never counts one; the count is read first, so
    a write landing during `compute` is counted again next time."""
    writes = engine._connection.total_changes
    known = engine.__dict__.setdefault("tornadogists_until_a_write", {})
    if key not in known or known[key][0] != writes:
        known[key] = (writes, compute(engine, *arguments))
    return known[key][1]


def _indexed(engine, db_name: str, coll_name: str, field: str):
    """(connection, plain single-field index on `field`, collection id), or None."""
    index = _plain_index(engine, db_name, coll_name, field)
    connection = engine._require_connection()
    collection_id = index and engine._lookup_collection_id(connection, db_name, coll_name)
    return (connection, index, collection_id) if collection_id else None


def _count_sort_index(engine, db_name: str, coll_name: str, field: str):
    if not (found := _indexed(engine, db_name, coll_name, field)):
        return None
    connection, index, collection_id = found
    entries = "FROM scalar_index_entries WHERE collection_id = ? AND index_name = ?"
    arguments = (collection_id, index["name"])
    low, high = (connection.execute(f"SELECT type_score {entries} ORDER BY type_score {order} LIMIT 1",
                                    arguments).fetchone() for order in ("ASC", "DESC"))
    if low is None or low != high or low[0] not in {engine._multikey_type_score(kind) for kind in ORDERED_TYPES}:
        return None   # values of two types (or none): the engine's own sort
    if not _every_document_has_an_entry(engine, db_name, coll_name, collection_id, index["name"]):
        return None   # one has no value there
    return index, collection_id, low[0]


def _ids_are_plain(engine, db_name: str, coll_name: str) -> bool:
    """Every `_id` of the collection a string or an ObjectId: read from the storage keys, which
    begin with the id's type (`repr((type, value))`), as ranges of the documents' primary key."""
    from mongoeco._types._bson_objectid import ObjectId

    (first, first_end), (second, second_end) = sorted(
        (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)) for prefix in (f"({str!r}, ", f"({ObjectId!r}, "))
    outside = [("storage_key < ?", (first,)), ("storage_key >= ? AND storage_key < ?", (first_end, second)),
               ("storage_key >= ?", (second_end,))]   # a UNION ALL of three seeks (an OR of them is a scan)
    other = engine._require_connection().execute(
        " UNION ALL ".join(f"SELECT 1 FROM documents WHERE db_name = ? AND coll_name = ? AND {where}"
                           for where, _ in outside) + " LIMIT 1",
        [value for _, bounds in outside for value in (db_name, coll_name, *bounds)]).fetchone()
    return other is None


def _sorted_through_index(engine, db_name: str, coll_name: str, plan, *, select_clause, sort, skip, limit, hint):
    """The SELECT reading documents in a single-field index's order for a sort on (field, _id), or None."""
    from mongoeco.engines.sqlite_query import translate_sort_spec

    found = hint is None and _sort_index(engine, db_name, coll_name, sort)
    if not found:
        return None
    index, collection_id, low = found
    direction = tuple(sort[0])[1]
    order = "ASC" if direction == 1 else "DESC"
    return engine._build_select_statement_with_custom_order(
        select_clause=engine._resolve_select_clause_for_scalar_sort(select_clause),
        from_clause=("scalar_index_entries AS ordering JOIN documents "
                     "ON documents.db_name = ? AND documents.coll_name = ? AND documents.storage_key = ordering.storage_key"),
        namespace_sql="ordering.collection_id = ? AND ordering.index_name = ? AND ordering.type_score = ?",
        namespace_params=(db_name, coll_name, collection_id, index["name"], low),
        where_fragment=engine._translate_query_plan_with_multikey(db_name, coll_name, plan),
        order_sql=f" ORDER BY ordering.element_key {order}, " + translate_sort_spec([("_id", direction)]).removeprefix(" ORDER BY "),
        skip=skip, limit=limit)


def _has_no_tagged(engine, db_name: str, coll_name: str, field: str, value_type: str) -> bool:
    """True where a plain multikey index shows no document holds a `value_type` at `field`."""
    if field == "_id":
        return _ids_are_plain(engine, db_name, coll_name)
    entry_type = ENTRY_TYPE_OF_TAG.get(value_type)
    if not entry_type or not (found := _indexed(engine, db_name, coll_name, field)):
        return False
    connection, index, collection_id = found
    if ("." in field or not index.get("multikey")) and not _has_no_array(engine, db_name, coll_name, field):
        return False   # a unique index keeps no entries for an array's elements, nor any index along a path
    found = connection.execute(
        " UNION ALL ".join(f"SELECT 1 FROM {table} WHERE collection_id = ? AND index_name = ? AND type_score = ?"
                           for table in ("scalar_index_entries", "multikey_entries")) + " LIMIT 1",
        [collection_id, index["name"], engine._multikey_type_score(entry_type)] * 2).fetchone()
    return found is None


def _every_document_has_an_entry(engine, db_name, coll_name, collection_id, index_name) -> bool:
    """One scalar entry per document: no document holds an array, an object or a 64-bit integer there.

    Kept among the engine's own facts about the collection, which it forgets on any write to that
    collection (and the features patch keeps over a clean restart). Remembered only until any write,
    a session touched or a rate limit counted made the next sorted read of comments count all
    456,103 of them and their entries again (about 300 ms). Stored only if no write came meanwhile."""
    key, facts = (db_name, coll_name, f"every_document_has_an_entry:{index_name}"), engine._collection_features_cache
    if key not in facts:
        writes = engine._connection.total_changes
        found = _counts_match(engine, db_name, coll_name, collection_id, index_name)
        if engine._connection.total_changes != writes:
            return found
        facts[key] = found
    return facts[key]


def _counts_match(engine, db_name, coll_name, collection_id, index_name) -> bool:
    connection = engine._require_connection()
    count = connection.execute("SELECT count(*) FROM scalar_index_entries WHERE collection_id = ? AND index_name = ?",
                               (collection_id, index_name)).fetchone()[0]
    return count == connection.execute("SELECT count(*) FROM documents WHERE db_name = ? AND coll_name = ?",
                                       (db_name, coll_name)).fetchone()[0]


def _has_no_array(engine, db_name: str, coll_name: str, field: str) -> bool:
    """True where no document holds an array at `field`, nor on the way to it (`author` of
    `author.id`): the engine's own cached answers, or a plain single-field index with a scalar entry
    for every document there (the engine gives a document an entry only where the path reaches a
    value through documents alone, and the value is no array or document). That answer is kept as
    the engine's (`top_level_array:<field>`, and `traverses_array:<field>` for a dotted path), which
    the features patch keeps over writes that add no array there: counting the entries again after
    every write cost each write to `gists` 7 ms per unique index at 50,000 gists (its check of the
    new value against the unique index asks this)."""
    if field == "_id":
        return True   # MongoDB refuses an array as an _id
    if any(part.isdigit() for part in field.split(".")):
        return False   # `a.0.b` reaches into an array by position: its entries prove nothing
    keys = [(db_name, coll_name, f"{fact}:{field}")
            for fact in ("top_level_array", "traverses_array")[:1 + ("." in field)]]
    known = [engine._collection_features_cache.get(key) for key in keys]
    if True in known:
        return False
    if None not in known:
        return True
    found = _indexed(engine, db_name, coll_name, field)
    if not (found and _every_document_has_an_entry(engine, db_name, coll_name, found[2], found[1]["name"])):
        return False
    engine._collection_features_cache.update(dict.fromkeys(keys, False))
    return True


def _tagged_scan(engine, db_name: str, coll_name: str, field: str, value_type: str) -> bool:
    """The engine's scan for a tagged value at `field`, once for all five tags it asks about: the
    tags found there answer each question, remembered as the engine remembers its own answer."""
    from mongoeco.core.codec import DocumentCodec
    from mongoeco.engines.sqlite_query import json_path_for_field

    cache = engine._collection_features_cache
    feature_key = (db_name, coll_name, f"tagged_type:{field}:{value_type}")
    if feature_key not in cache:
        path = json_path_for_field(field) + f'."{DocumentCodec._MARKER}".{DocumentCodec._TYPE}'
        found = {tag for (tag,) in engine._require_connection().execute(
            "SELECT DISTINCT json_extract(document, ?) FROM documents WHERE db_name = ? AND coll_name = ? "
            "AND json_extract(document, ?) IN (SELECT value FROM json_each(?))",
            (path, db_name, coll_name, path, json.dumps([*ENTRY_TYPE_OF_TAG, value_type])))}
        for tag in {*ENTRY_TYPE_OF_TAG, value_type}:
            cache[(db_name, coll_name, f"tagged_type:{field}:{tag}")] = tag in found
    return cache[feature_key]


def _backfill_once(engine, connection, backfill) -> None:
    """The engine's rebuild of every index entry, unless this mongoeco version already did it on this file."""
    import mongoeco

    connection.execute("CREATE TABLE IF NOT EXISTS tornadogists_engine (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    rebuilt_by = connection.execute("SELECT value FROM tornadogists_engine WHERE key = ?", (REBUILT_BY,)).fetchone()
    if rebuilt_by != (mongoeco.__version__,):
        backfill(engine, connection)
        connection.execute("INSERT OR REPLACE INTO tornadogists_engine VALUES (?, ?)", (REBUILT_BY, mongoeco.__version__))
        return
    for db_name, coll_name in connection.execute("SELECT DISTINCT db_name, coll_name FROM indexes").fetchall():
        engine._ensure_scalar_physical_indexes_sync(connection, list(engine._load_indexes(db_name, coll_name)))


def apply() -> None:
    """Install the six fixes; refuse (UnsupportedMongoeco) on a mongoeco they were not checked against."""
    from mongoeco.engines import _sqlite_index_runtime
    from mongoeco.engines.sqlite import SQLiteEngine

    connect, translate = SQLiteEngine._connect_sync, SQLiteEngine._translate_query_plan_with_multikey
    sorted_select = SQLiteEngine._build_scalar_sort_select_sql
    backfill = SQLiteEngine._backfill_scalar_indexes_sync
    contains_tagged = SQLiteEngine._field_contains_tagged_value_type_in_collection
    sort_requires_python = SQLiteEngine._sort_requires_python
    uniform_sort_type = SQLiteEngine._field_has_uniform_scalar_sort_type_in_collection
    top_level_array = SQLiteEngine._field_is_top_level_array_in_collection
    traverses_array = SQLiteEngine._field_traverses_array_in_collection
    if getattr(translate, "tornadogists_patched", False):
        return
    for original, digest in ((connect, CHECKED_CONNECT_SHA256), (translate, CHECKED_TRANSLATE_SHA256),
                             (sorted_select, CHECKED_SORT_SHA256), (_sqlite_index_runtime.backfill_scalar_indexes_sync, CHECKED_BACKFILL_SHA256),
                             (contains_tagged, CHECKED_TAGGED_SHA256),
                             (sort_requires_python, CHECKED_SORT_PYTHON_SHA256),
                             (top_level_array, CHECKED_ARRAY_SHA256),
                             (traverses_array, CHECKED_TRAVERSES_SHA256),
                             (uniform_sort_type, CHECKED_UNIFORM_SHA256)):
        require_checked(original, CHECKED_VERSIONS, digest, "tornadogists/db/mongoeco_index_patch.py")

    def connect_sync(self) -> None:
        connect(self)
        if self._connection is not None:
            self._connection.execute(TTL_BY_STORAGE_KEY)
            self._connection.execute(ENTRIES_BY_DOCUMENT)

    def translate_query_plan_with_multikey(self, db_name, coll_name, plan):
        # And/Or nodes come back here for each of their parts, so a part is served by its index too.
        return (_equality_first(self, db_name, coll_name, plan) or _one_range(self, db_name, coll_name, plan)
                or _through_index(self, db_name, coll_name, plan) or translate(self, db_name, coll_name, plan))

    def build_scalar_sort_select_sql(self, db_name, coll_name, plan, **arguments):
        return (_sorted_through_index(self, db_name, coll_name, plan, **arguments)
                or sorted_select(self, db_name, coll_name, plan, **arguments))

    def backfill_scalar_indexes_sync(self, connection) -> None:
        _backfill_once(self, connection, backfill)

    def field_contains_tagged_value_type_in_collection(self, db_name, coll_name, field, value_type):
        return (not _has_no_tagged(self, db_name, coll_name, field, value_type)
                and _tagged_scan(self, db_name, coll_name, field, value_type))

    def field_is_top_level_array_in_collection(self, db_name, coll_name, field):
        return not _has_no_array(self, db_name, coll_name, field) and top_level_array(self, db_name, coll_name, field)

    def field_traverses_array_in_collection(self, db_name, coll_name, field):
        return (("." not in field or not _has_no_array(self, db_name, coll_name, field))
                and traverses_array(self, db_name, coll_name, field))

    def sort_requires_python_patched(self, db_name, coll_name, plan, sort):
        return not _sorts_without_python(self, db_name, coll_name, plan, sort) and sort_requires_python(
            self, db_name, coll_name, plan, sort)

    def field_has_uniform_scalar_sort_type_in_collection(self, db_name, coll_name, field):
        known = _uniform_sort_type(self, db_name, coll_name, field)
        return uniform_sort_type(self, db_name, coll_name, field) if known is ... else known

    translate_query_plan_with_multikey.tornadogists_patched = True
    SQLiteEngine._connect_sync = connect_sync
    SQLiteEngine._translate_query_plan_with_multikey = translate_query_plan_with_multikey
    SQLiteEngine._build_scalar_sort_select_sql = build_scalar_sort_select_sql
    SQLiteEngine._backfill_scalar_indexes_sync = backfill_scalar_indexes_sync
    SQLiteEngine._field_contains_tagged_value_type_in_collection = field_contains_tagged_value_type_in_collection
    SQLiteEngine._sort_requires_python = sort_requires_python_patched
    SQLiteEngine._field_has_uniform_scalar_sort_type_in_collection = field_has_uniform_scalar_sort_type_in_collection
    SQLiteEngine._field_is_top_level_array_in_collection = field_is_top_level_array_in_collection
    SQLiteEngine._field_traverses_array_in_collection = field_traverses_array_in_collection
