"""The embedded database uses the indexes it has: an indexed field's equality in every kind of query,
and a document's TTL entries by its storage key (tornadogists/db/mongoeco_index_patch.py)."""

import datetime
import sqlite3

import pytest
from bson import Binary, Decimal128, Int64, ObjectId
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from tornadogists.db.embedded_db import EmbeddedDatabase

OID = ObjectId("5f1d7f3e9b1e8a3c4d5e6f70")
STORED = [{"_id": 1, "g": "a"}, {"_id": 2, "g": "b"}, {"_id": 3}, {"_id": 4, "g": None}, {"_id": 5, "g": {"x": 1}},
          {"_id": 6, "g": OID}, {"_id": 7, "g": "a", "n": 2}, {"_id": 8, "g": "a "}, {"_id": 9, "g": "A"}]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = EmbeddedDatabase(tmp_path_factory.mktemp("index") / "db.sqlite").start()
    yield database
    database.stop()


async def indexed(database, request, field: str, documents: list):
    """A collection of its own with a single-field index on `field`, holding `documents`."""
    client = AsyncMongoClient(database.uri)
    collection = client.index[collection_name(request)]
    await collection.create_index(field)
    await collection.insert_many(documents)
    yield collection
    await client.close()


@pytest.fixture
async def things(database, request):
    async for collection in indexed(database, request, "g", STORED):
        yield collection


async def ids(cursor) -> list:
    return sorted([document["_id"] async for document in cursor])


async def test_a_find_on_an_indexed_field_reads_the_index_not_the_whole_collection(things):
    # Unpatched, the plan is "SEARCH documents USING INDEX ... (db_name=? AND coll_name=?)": every
    # document of the collection, with json_extract on each.
    explained = await things.find({"g": "a", "n": 2}).explain()
    plan = " / ".join(explained["details"]["engine_details"])
    assert "USING COVERING INDEX" in plan and "element_key=?" in plan, plan


@pytest.mark.parametrize("query, expected", [
    ({"g": "a"}, [1, 7]),
    ({"g": "a", "n": 2}, [7]),
    ({"$or": [{"g": "b"}, {"g": OID}]}, [2, 6]),
    ({"g": OID}, [6]),
    ({"g": "nobody"}, []),
    ({"g": None}, [3, 4]),
    ({"g": {"$ne": "a"}}, [2, 3, 4, 5, 6, 8, 9]),
    ({"g": {"x": 1}}, [5]),
])
async def test_a_find_on_an_indexed_field_selects_what_mongodb_selects(things, query, expected):
    assert await ids(things.find(query)) == expected


@pytest.mark.parametrize("query, expected", [({"b": True}, [1, 4]), ({"b": False}, [2]), ({"b": 1}, [3])])
async def test_a_bool_is_found_by_its_index_as_mongodb_finds_it(database, request, query, expected):
    client = AsyncMongoClient(database.uri)
    flags = client.index[collection_name(request)]
    await flags.create_index("b")
    await flags.insert_many([{"_id": 1, "b": True}, {"_id": 2, "b": False}, {"_id": 3, "b": 1}, {"_id": 4, "b": [True]},
                             {"_id": 5}, {"_id": 6, "b": None}])
    assert await ids(flags.find(query)) == expected
    assert (await flags.database.command("count", flags.name, query=query))["n"] == len(expected)
    if isinstance(query["b"], bool):   # (a number is left to the engine: 1 == 1.0 == Int64(1))
        plan = " / ".join((await flags.find(query).explain())["details"]["engine_details"])
        assert "USING COVERING INDEX" in plan and "element_key=?" in plan, plan
    await client.close()


HOUR = datetime.timedelta(hours=1)
RANGED = [{"_id": 1, "v": 1}, {"_id": 2, "v": 2.5}, {"_id": 3, "v": -4}, {"_id": 4, "v": "b"}, {"_id": 5, "v": "abc"},
          {"_id": 6, "v": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)}, {"_id": 7, "v": None},
          {"_id": 8, "v": datetime.datetime(2026, 1, 1, 1, 0, 0, 500000, tzinfo=datetime.timezone.utc)}, {"_id": 9},
          {"_id": 10, "v": 10}]
START = RANGED[5]["v"]


@pytest.mark.parametrize("query, expected", [
    ({"v": {"$gte": 1}}, [1, 2, 10]),
    ({"v": {"$gt": 1, "$lt": 10}}, [2]),
    ({"v": {"$lt": 0}}, [3]),
    ({"v": {"$gte": 2.5}}, [2, 10]),
    ({"v": {"$gte": "b"}}, [4]),
    ({"v": {"$lt": "b"}}, [5]),
    ({"v": {"$gt": START}}, [8]),
    ({"v": {"$lte": START + HOUR}}, [6]),
    ({"v": {"$gte": START, "$lt": START + 2 * HOUR}}, [6, 8]),
])
async def test_a_range_on_an_indexed_field_selects_within_its_type_as_mongodb_does(database, request, query, expected):
    client = AsyncMongoClient(database.uri)
    values = client.index[collection_name(request)]
    await values.create_index("v")
    await values.insert_many(RANGED)
    assert await ids(values.find(query)) == expected
    assert await values.count_documents(query) == len(expected)
    plan = " / ".join((await values.find(query).explain())["details"]["engine_details"])
    assert "USING COVERING INDEX" in plan and ("element_key>" in plan or "element_key<" in plan), plan
    await client.close()


async def test_both_bounds_of_a_range_are_one_run_of_the_index(database, request):
    # Apart, each bound matched most of the collection: "the comments before tomorrow" (620 ms).
    client = AsyncMongoClient(database.uri)
    values = client.index[collection_name(request)]
    await values.create_index("v")
    await values.insert_many([{"_id": n, "v": n, "k": "odd" if n % 2 else "even"} for n in range(20)])
    query = {"v": {"$gte": 5, "$lte": 9}, "k": "odd"}
    assert await ids(values.find(query)) == [5, 7, 9]
    assert (await values.database.command("count", values.name, query=query))["n"] == 3
    plan = " / ".join((await values.find(query).explain())["details"]["engine_details"])
    assert "element_key>? AND element_key<?" in plan, plan
    await client.close()


BESIDE_AN_EQUALITY = [{"_id": 1, "g": "a", "t": 5}, {"_id": 2, "g": "a", "t": 20}, {"_id": 3, "g": "c", "t": "x"},
                      {"_id": 4, "g": "b", "t": 7}, {"_id": 5, "g": "a"}, {"_id": 6, "g": "a", "t": 10},
                      {"_id": 8, "g": "c", "t": 6}]


@pytest.mark.parametrize("query, expected", [
    ({"g": "a", "t": {"$gte": 5}}, [1, 2, 6]),
    ({"g": "a", "t": {"$gt": 4, "$lt": 6}}, [1]),
    ({"g": "c", "t": {"$lt": "y"}}, [3]),   # within its type, as MongoDB compares
    ({"g": "c", "t": {"$gte": 5}}, [8]),
    ({"g": "b", "t": {"$gte": 5}}, [4]),
    ({"g": "a", "t": {"$gte": 5}, "_id": {"$ne": 6}}, [1, 2]),
])
async def test_a_range_beside_an_indexed_equality_is_compared_on_what_the_equality_found(database, request, query,
                                                                                          expected):
    # As two lookups, the range listed every entry within it: "a person's comments of the last 30
    # days" listed the month's comments. Now each document the equality finds has its entry checked.
    async for values in indexed(database, request, "g", BESIDE_AN_EQUALITY):
        await values.create_index("t")
        assert await ids(values.find(query)) == expected
        assert (await values.database.command("count", values.name, query=query))["n"] == len(expected)
        sql = " / ".join((await values.find(query).explain())["details"].get("engine_details", []))
        assert "_id" in query or "USING INDEX tornadogists_scalar_entries_document" in sql, sql


async def test_a_range_beside_an_equality_still_matches_an_array_that_a_write_brings(database, request):
    async for values in indexed(database, request, "g", BESIDE_AN_EQUALITY):
        await values.create_index("t")
        assert await ids(values.find({"g": "a", "t": {"$gte": 15}})) == [2]   # no array at t: entries checked
        await values.insert_one({"_id": 7, "g": "a", "t": [1, 30]})
        assert await ids(values.find({"g": "a", "t": {"$gte": 15}})) == [2, 7]


async def test_a_range_over_an_array_still_matches_two_elements_meeting_one_bound_each(database, request):
    client = AsyncMongoClient(database.uri)
    values = client.index[collection_name(request)]
    await values.create_index("v")
    await values.insert_many([{"_id": 1, "v": [0, 20]}, {"_id": 2, "v": 10}, {"_id": 3, "v": 30}])
    assert await ids(values.find({"v": {"$gt": 5, "$lt": 15}})) == [1, 2]   # MongoDB's answer
    await client.close()


async def test_a_text_index_on_the_field_is_not_taken_for_its_values(database, request):
    client = AsyncMongoClient(database.uri)
    notes = client.index[collection_name(request)]
    await notes.create_index([("body", "text")])
    await notes.insert_many([{"_id": 1, "body": "hello"}, {"_id": 2, "body": "hello there"}])
    assert await ids(notes.find({"body": "hello"})) == [1]
    assert await notes.count_documents({"body": "hello there"}) == 1
    await client.close()


async def test_counts_updates_and_deletes_on_an_indexed_field_follow_every_write(things):
    assert await things.count_documents({"g": "a"}) == 2
    await things.update_one({"_id": 2}, {"$set": {"g": "a"}})
    await things.delete_one({"_id": 1})
    assert await ids(things.find({"g": "a"})) == [2, 7]
    assert await ids(things.find({"g": "b"})) == []
    assert (await things.update_many({"g": "a"}, {"$set": {"seen": True}})).modified_count == 2
    assert await ids(things.find({"seen": True})) == [2, 7]
    assert (await things.delete_many({"g": "a"})).deleted_count == 2
    assert await things.count_documents({}) == len(STORED) - 3


async def test_an_array_arriving_at_an_indexed_field_is_still_matched_by_its_elements(things):
    assert await ids(things.find({"g": "c"})) == []
    await things.insert_one({"_id": 10, "g": ["a", "c"]})
    assert await ids(things.find({"g": "c"})) == [10]
    assert await ids(things.find({"g": "a"})) == [1, 7, 10]


async def test_no_array_at_a_unique_field_is_known_until_a_write_brings_one(database, request):
    # "No document holds an array at u" is counted from the index once, then kept over writes that
    # bring none; the update that brings one must make the engine check both index rules again.
    client = AsyncMongoClient(database.uri)
    collection = client.index[collection_name(request)]
    await collection.create_index("u", unique=True)
    await collection.insert_many([{"_id": n, "u": f"v{n}"} for n in range(5)])
    await collection.update_one({"_id": 1}, {"$set": {"u": "w1"}})   # asked, and kept
    assert await ids(collection.find({"u": {"$gte": "v2", "$lte": "v3"}})) == [2, 3]
    await collection.update_one({"_id": 2}, {"$set": {"u": ["x", "y"]}})
    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": 9, "u": "y"})
    assert await ids(collection.find({"u": {"$gte": "x", "$lte": "x"}})) == [2]
    await client.close()


NESTED = [{"_id": 1, "by": {"id": "ada"}}, {"_id": 2, "by": {"id": "bob"}}, {"_id": 3, "by": {"id": "ada", "n": 1}},
          {"_id": 4, "by": {"id": OID}}]


@pytest.fixture
async def nested(database, request):
    async for collection in indexed(database, request, "by.id", NESTED):
        yield collection


async def test_a_find_on_an_indexed_dotted_path_reads_the_index_where_it_crosses_no_array(nested):
    explained = await nested.find({"by.id": "ada"}).explain()
    plan = " / ".join(explained["details"]["engine_details"])
    assert "USING COVERING INDEX" in plan and "element_key=?" in plan, plan
    assert await ids(nested.find({"by.id": "ada"})) == [1, 3]
    assert await ids(nested.find({"by.id": OID})) == [4]


@pytest.mark.parametrize("arrival, query, expected", [
    ({"_id": 5, "by": [{"id": "ada"}]}, {"by.id": "ada"}, [1, 3, 5]),            # an array on the way
    ({"_id": 5, "by": [{"id": "cy"}, {"id": "ada"}]}, {"by.id": "ada"}, [1, 3, 5]),
    ({"_id": 5, "by": {"id": ["cy", "ada"]}}, {"by.id": "ada"}, [1, 3, 5]),       # an array at the end
    ({"_id": 5, "by": "ada"}, {"by.id": "ada"}, [1, 3]),                          # no document on the way
    ({"_id": 5}, {"by.id": "ada"}, [1, 3]),
    ({"_id": 5, "by": {"id": {"x": 1}}}, {"by.id": {"x": 1}}, [5]),
])
async def test_a_dotted_path_still_selects_what_mongodb_selects_after_any_arrival(nested, arrival, query, expected):
    assert await ids(nested.find({"by.id": "ada"})) == [1, 3]   # now known: no array on the way
    await nested.insert_one(arrival)
    assert await ids(nested.find(query)) == expected
    await nested.update_one({"_id": 2}, {"$set": {"by": [{"id": "ada"}]}})   # an update brings one too
    assert 2 in await ids(nested.find({"by.id": "ada"}))


async def test_a_documents_ttl_entries_are_found_by_index(database):
    # Every write to a collection with a TTL index deletes the document's entries by storage key;
    # unpatched that is "SEARCH ttl_index_entries USING PRIMARY KEY (collection_id=?)", all of them.
    client = AsyncMongoClient(database.uri)
    await client.index.expiring.create_index("expires_at", expireAfterSeconds=0)
    await client.index.expiring.insert_one({"expires_at": None})
    await client.close()
    with sqlite3.connect(f"file:{database.path}?mode=ro", uri=True) as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN DELETE FROM ttl_index_entries "
                                  "WHERE collection_id = ? AND storage_key = ?", (1, "x")).fetchall()
    assert any("storage_key=?" in row[-1] for row in plan), plan


async def test_building_an_index_finds_each_documents_entry_by_index(database):
    # create_index deletes a document's entry of the new index first; unpatched SQLite serves
    # that from a scidx_* index on (collection_id, index_name): every entry made so far.
    with sqlite3.connect(f"file:{database.path}?mode=ro", uri=True) as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN DELETE FROM scalar_index_entries "
                                  "WHERE collection_id = ? AND storage_key = ? AND index_name = ?", (1, "x", "g_1")).fetchall()
    assert any("storage_key=? AND index_name=?" in row[-1] for row in plan), plan


DAY = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
SORTED_VALUES = {
    "numbers": [-1e9, -1000.5, -3, -0.25, 0, 0.1, 1, 2, 2, 2.5, 10, 99, 100, 1e6, 7, 7, 7],
    "dates": [DAY + datetime.timedelta(seconds=s, milliseconds=ms)
              for s, ms in ((0, 0), (0, 500), (1, 0), (59, 123), (3600, 0), (86400 * 40, 1), (0, 0), (1, 0))],
    "strings": ["", "a", "a ", "ab", "b", "B", "é", "z", "a", "ab"],
    "object ids": [ObjectId(f"{n:024x}") for n in (5, 1, 9, 1 << 90, 3, 5)],
}


def collection_name(request) -> str:
    return "".join(c if c.isalnum() else "_" for c in request.node.name)


async def sortable(database, name: str, values: list, extra: list = ()):
    client = AsyncMongoClient(database.uri, tz_aware=True)
    collection = client.index[name]
    await collection.create_index("v")
    await collection.insert_many([{"_id": f"id{n:02d}", "v": value, "k": n % 3} for n, value in enumerate(values)]
                                 + list(extra))
    return client, collection


@pytest.mark.parametrize("kind", SORTED_VALUES)
@pytest.mark.parametrize("direction", [1, -1])
async def test_a_listing_sorted_by_an_indexed_field_and_id_comes_in_mongodbs_order(database, request, kind, direction):
    values = SORTED_VALUES[kind]
    client, collection = await sortable(database, collection_name(request), values)
    order = [("v", direction), ("_id", direction)]
    got = [doc["_id"] async for doc in collection.find({"k": {"$ne": 1}}).sort(order).skip(1).limit(5)]
    expected = sorted(((value, f"id{n:02d}") for n, value in enumerate(values) if n % 3 != 1),
                      reverse=direction == -1)
    assert got == [key for _, key in expected][1:6]
    # Unpatched, the engine sorts every document first: "USE TEMP B-TREE FOR ORDER BY".
    plan = " / ".join((await collection.find().sort(order).limit(3).explain())["details"]["engine_details"])
    assert "ordering USING COVERING INDEX" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
    await client.close()


@pytest.mark.parametrize("odd_one, first_descending", [({"_id": "zz"}, "id02"), ({"_id": "zz", "v": "text"}, "zz")],
                         ids=["a document without the field", "a value of another type"])
async def test_a_sort_the_index_cannot_order_is_still_mongodbs_order(database, request, odd_one, first_descending):
    # Missing (null) sorts before numbers, strings after them: the engine's own sort, not the index's.
    client, collection = await sortable(database, collection_name(request), [3, 1, 7], [odd_one])
    descending = [doc["_id"] async for doc in collection.find().sort([("v", -1), ("_id", -1)])]
    assert descending[0] == first_descending and len(descending) == 4
    await client.close()


@pytest.mark.parametrize("kind", SORTED_VALUES)
@pytest.mark.parametrize("direction", [1, -1])
async def test_a_sort_on_the_indexed_field_alone_comes_in_mongodbs_order(database, request, kind, direction):
    # The held-for-review queues sort so; the engine checked such a sort by scanning the collection.
    values = SORTED_VALUES[kind]
    client, collection = await sortable(database, collection_name(request), values)
    got = [doc["v"] async for doc in collection.find({"k": {"$ne": 1}}).sort("v", direction)]
    assert got == sorted((value for n, value in enumerate(values) if n % 3 != 1), reverse=direction == -1)
    await client.close()


@pytest.mark.parametrize("order", [[("v", 1)], [("v", 1), ("_id", 1)]], ids=["alone", "with _id"])
async def test_decimals_and_64_bit_integers_among_numbers_sort_as_mongodb_does(database, request, order):
    client, collection = await sortable(database, collection_name(request), [3, Decimal128("2.5"), Int64(7), 1, 8])
    assert [doc["_id"] async for doc in collection.find().sort(order)] == ["id03", "id01", "id00", "id02", "id04"]
    await client.close()


def entry_rows(path) -> list:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT rowid, index_name, storage_key FROM scalar_index_entries ORDER BY rowid").fetchall()


def set_rebuilt_by(path, version: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE tornadogists_engine SET value = ? WHERE key LIKE 'scalar index entries%'", (version,))


async def restarted_lookup(database, value: str) -> int:
    database.start()
    client = AsyncMongoClient(database.uri)
    try:
        return (await client.restart.first.find_one({"g": value}))["_id"]
    finally:
        await client.close()
        database.stop()


@pytest.fixture
async def stopped(tmp_path):
    """A stopped database holding two indexed collections, the second's entries written last."""
    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    client = AsyncMongoClient(database.uri)
    for name in ("first", "second"):
        await client.restart[name].create_index("g")
        await client.restart[name].insert_many([{"_id": n, "g": f"v{n}"} for n in range(40)])
    await client.close()
    database.stop()
    return database


async def test_a_start_keeps_the_index_entries_every_write_kept(stopped):
    # Unpatched, every start deletes the entries and rebuilds them from every document (minutes
    # at 50,000 gists): the first collection's entries come back with new rowids.
    before = entry_rows(stopped.path)
    assert await restarted_lookup(stopped, "v7") == 7
    assert entry_rows(stopped.path) == before


async def test_a_file_last_rebuilt_by_another_mongoeco_version_is_rebuilt_once(stopped):
    before = entry_rows(stopped.path)
    set_rebuilt_by(stopped.path, "4.10.0")
    assert await restarted_lookup(stopped, "v8") == 8
    rebuilt = entry_rows(stopped.path)
    assert rebuilt != before and sorted(row[1:] for row in rebuilt) == sorted(row[1:] for row in before)
    assert await restarted_lookup(stopped, "v9") == 9
    assert entry_rows(stopped.path) == rebuilt


TAGGED = [{"_id": 1, "v": Decimal128("2.5")}, {"_id": 2, "v": 3}, {"_id": 3, "v": Binary(b"\x01")}, {"_id": 4, "v": "s"},
          {"_id": 5, "v": [Decimal128("7"), 1]}, {"_id": 6, "v": 1}]


@pytest.mark.parametrize("stored, query, expected", [
    (TAGGED, {"v": Decimal128("7")}, [5]),
    (TAGGED, {"v": Binary(b"\x01")}, [3]),
    (TAGGED, {"v": 2.5}, [1]),
    (TAGGED[1:2] + TAGGED[3:4] + TAGGED[5:], {"v": {"$gt": 2}}, [2]),
    (TAGGED[1:2] + TAGGED[5:], {"v": {"$in": [1, 3]}}, [2, 6]),
], ids=["a decimal in an array", "bytes", "a double equal to a decimal", "no decimal",
        "numbers only"])
async def test_decimals_and_bytes_on_an_indexed_field_are_compared_as_mongodb_does(database, request, stored, query,
                                                                                  expected):
    # The engine asks whether a field holds decimals or bytes before planning; the patch answers
    # "none" from the index's entries where it can, and leaves the engine's scan where one is there.
    client = AsyncMongoClient(database.uri)
    values = client.index[collection_name(request)]
    await values.create_index("v")
    await values.insert_many(stored)
    assert await ids(values.find(query)) == expected
    await client.close()


async def test_ties_between_numeric_ids_are_still_in_mongodbs_order(database, request):
    # The patch answers the engine's "does this sort need Python?" only for string and ObjectId ids.
    client = AsyncMongoClient(database.uri)
    collection = client.index[collection_name(request)]
    await collection.create_index("v")
    await collection.insert_many([{"_id": 10, "v": 1}, {"_id": 9.5, "v": 1}, {"_id": Int64(2), "v": 1}, {"_id": 3, "v": 0}])
    assert [doc["_id"] async for doc in collection.find().sort([("v", 1), ("_id", 1)])] == [3, 2, 9.5, 10]
    await client.close()


@pytest.mark.parametrize("query, expected", [
    ({"_id": "a/1"}, ["a/1"]), ({"_id": "missing"}, []), ({"_id": OID}, [OID]), ({"_id": 2.0}, [2]),
    ({"_id": "a/1", "n": 2}, []), ({"$or": [{"_id": "missing"}, {"_id": "b"}]}, ["b"]),
], ids=["a string", "a missing one", "an ObjectId", "a number equal to another", "and another field", "or"])
async def test_an_id_is_found_by_its_storage_key_and_a_missing_one_by_none(database, request, query, expected):
    # Unpatched, a find for an _id that is not there reads every document (8.7 s over 50,000 revisions).
    client = AsyncMongoClient(database.uri)
    collection = client.index[collection_name(request)]
    await collection.insert_many([{"_id": "a/1", "n": 1}, {"_id": "b"}, {"_id": OID}, {"_id": 2}])
    assert [doc["_id"] async for doc in collection.find(query)] == expected
    assert (await collection.find_one(query) or {}).get("_id") == (expected[0] if expected else None)
    if query == {"_id": "missing"}:
        plan = " / ".join((await collection.find(query).explain())["details"]["engine_details"])
        assert "storage_key=?" in plan, plan
    await client.close()


async def test_a_document_arriving_without_the_sort_field_is_still_listed(database, request):
    # The patch remembers "every document has one value there" until a write; the listing's
    # reads run on connections of their own, so the write must be seen from those too.
    client, collection = await sortable(database, collection_name(request), [3, 1, 7])
    order = [("v", -1), ("_id", -1)]
    assert [doc["_id"] async for doc in collection.find().sort(order)] == ["id02", "id00", "id01"]
    await collection.insert_one({"_id": "zz"})
    assert [doc["_id"] async for doc in collection.find().sort(order)] == ["id02", "id00", "id01", "zz"]
    await client.close()


async def test_a_sort_field_an_update_takes_away_is_still_listed_in_mongodbs_order(database, request):
    # "Every document has one value there" is one of the engine's facts about the collection: forgotten
    # on a write to it (a write elsewhere keeps it), here an update that leaves a document without one.
    client, collection = await sortable(database, collection_name(request), [3, 1, 7])
    order = [("v", -1), ("_id", -1)]
    assert [doc["_id"] async for doc in collection.find().sort(order)] == ["id02", "id00", "id01"]
    await client.index.elsewhere.insert_one({"v": 1})
    assert [doc["_id"] async for doc in collection.find().sort(order)] == ["id02", "id00", "id01"]
    await collection.update_one({"_id": "id02"}, {"$unset": {"v": ""}})
    assert [doc["_id"] async for doc in collection.find().sort(order)] == ["id00", "id01", "id02"]
    await client.close()
