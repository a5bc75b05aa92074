"""The embedded database's insert: its cost does not grow with the collection, duplicates are still refused."""

import sqlite3
import statistics
import subprocess
import sys
import time

import pytest
from bson import DBRef, Decimal128, Int64, ObjectId
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from tests.program import ROOT
from tornadogists.db.embedded_db import EmbeddedDatabase

SAMPLES = 21


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = EmbeddedDatabase(tmp_path_factory.mktemp("insert") / "db.sqlite").start()
    yield database
    database.stop()


async def medians_at_100_and_5000(db, name: str, unique_handle: bool, first: str | None) -> tuple[float, float]:
    """Median wall time of SAMPLES single inserts into a collection of 100 documents and one of 5,000,
    taken in turns, so a loaded machine slows both alike (a median: one stall does not count); each
    after an update of another document of the same collection when `first` is "update"."""
    sizes = {100: db[f"{name}_100"], 5000: db[f"{name}_5000"]}
    for size, collection in sizes.items():
        if unique_handle:
            await collection.create_index("handle", unique=True)
        for start in range(0, size, 500):
            await collection.insert_many([{"handle": f"seed-{n}", "bio": "x" * 2000}
                                          for n in range(start, min(start + 500, size))])
        assert await collection.estimated_document_count() == size
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for n in range(SAMPLES):
        for size, collection in sizes.items():
            if first == "update":
                await collection.update_one({"handle": "seed-7"}, {"$inc": {"loves": 1}})
            began = time.perf_counter()
            await collection.insert_one({"_id": ObjectId(), "handle": f"person-{n}", "bio": "x" * 2000})
            times[size].append(time.perf_counter() - began)
    return statistics.median(times[100]), statistics.median(times[5000])


@pytest.mark.parametrize("unique_handle, first", [(False, None), (True, None), (True, "update")],
                         ids=["only _id", "and a unique handle", "and a unique handle, each after an update"])
async def test_an_insert_into_5000_documents_costs_about_what_it_costs_at_100(database, unique_handle, first):
    # A ratio of the engine's own work at two sizes, not a wall-clock limit. Unpatched, every
    # document is deserialized to compare its _id (about 40x); with a unique index, the whole
    # collection is also scanned for arrays on its path before each insert, and each update
    # cleared what the engine knew of them (a love, then a comment on a gist: about 8x).
    client = AsyncMongoClient(database.uri)
    at_100, at_5000 = await medians_at_100_and_5000(client.scale, f"people_{unique_handle}_{first}", unique_handle,
                                                    first)
    await client.close()
    assert at_5000 < 3 * at_100, f"{at_5000 * 1000:.1f} ms at 5,000 vs {at_100 * 1000:.1f} ms at 100"


async def median_update_after_a_collision(collection, leases) -> float:
    times = []
    for _ in range(SAMPLES):
        with pytest.raises(DuplicateKeyError):   # storage/leases.py's way to find a lease taken
            await leases.update_one({"_id": "lease", "until": {"$lte": 0}}, {"$set": {"until": 20}}, upsert=True)
        began = time.perf_counter()
        await collection.update_one({"handle": "seed-7", "version": 1}, {"$inc": {"loves": 1}})
        times.append(time.perf_counter() - began)
    return statistics.median(times)


async def test_an_upsert_that_collides_leaves_the_next_write_as_cheap_at_5000_as_at_100(database):
    # Unpatched, the collision's rollback made the engine forget what it knew of every collection,
    # so the next filter on an unindexed field scanned all documents again (each comment posted
    # collided on its notification window; then a gist's rescoring by `version` scanned 50,000).
    client = AsyncMongoClient(database.uri)
    gists, leases = client.scale.rescored, client.scale.leases
    await gists.create_index("handle", unique=True)   # as gists are found by gist_id: the update itself is a seek
    await leases.update_one({"_id": "lease"}, {"$set": {"until": 10}}, upsert=True)
    await gists.insert_many([{"handle": f"seed-{n}", "bio": "x" * 2000, "version": 1} for n in range(100)])
    at_100 = await median_update_after_a_collision(gists, leases)
    for start in range(100, 5000, 500):
        await gists.insert_many([{"handle": f"seed-{n}", "bio": "x" * 2000, "version": 1}
                                 for n in range(start, start + 500)])
    at_5000 = await median_update_after_a_collision(gists, leases)
    await client.close()
    assert at_5000 < 3 * at_100, f"{at_5000 * 1000:.1f} ms at 5,000 vs {at_100 * 1000:.1f} ms at 100"


async def test_a_unique_index_still_sees_an_array_that_an_update_brings(database):
    client = AsyncMongoClient(database.uri)
    tags = client.scale.tagged_by_update
    await tags.create_index("tag", unique=True)
    await tags.insert_many([{"_id": 1, "tag": "a"}, {"_id": 2, "tag": "b"}])
    await tags.insert_one({"_id": 3, "tag": "e"})     # the engine has now cached "no arrays at tag"
    await tags.update_one({"_id": 2}, {"$set": {"tag": ["c", "d"]}})
    for duplicate in ({"tag": "c"}, {"tag": ["d"]}):
        with pytest.raises(DuplicateKeyError):
            await tags.insert_one(duplicate)
    with pytest.raises(DuplicateKeyError):
        await tags.update_one({"_id": 3}, {"$set": {"tag": "d"}})
    assert sorted([doc["_id"] async for doc in tags.find()]) == [1, 2, 3]
    await client.close()


async def test_a_read_still_sees_a_decimal_that_arrives_after_numbers(database):
    # Before planning a read the engine asks whether any document holds a decimal (or bytes...) at
    # the fields it reads, and compares in SQL only when none does (there, a stored Decimal128 is
    # text, unequal to the number 1.5). The patch keeps a cached "no" across writes that bring
    # none, and must drop it when one does.
    client = AsyncMongoClient(database.uri)
    values = client.scale.values
    await values.insert_many([{"_id": 1, "w": 1}, {"_id": 2, "w": 2}])
    assert [doc["_id"] async for doc in values.find({"w": 1})] == [1]   # now cached: "no decimal at w"
    await values.insert_one({"_id": 3, "w": Decimal128("1.5")})
    await values.insert_one({"_id": 4, "w": 3})
    await values.update_one({"_id": 4}, {"$set": {"w": Decimal128("2.5")}})
    assert [doc["_id"] async for doc in values.find({"w": 1.5})] == [3]
    assert [doc["_id"] async for doc in values.find({"w": 2.5})] == [4]
    await client.close()


async def test_a_read_on_a_dotted_path_still_sees_a_dbref_that_a_write_brings(database):
    # Before a read on `author.who` the engine asks whether any document holds a DBRef at `author`,
    # and reads in SQL only when none does (a DBRef is stored tagged). The patch keeps a cached
    # "no" across writes that bring none, and must drop it when one does.
    client = AsyncMongoClient(database.uri)
    notes = client.scale.notes
    await notes.insert_many([{"_id": 1, "author": {"who": 7}}, {"_id": 2, "author": {"who": 8}}])
    assert [doc["_id"] async for doc in notes.find({"author.who": 7})] == [1]   # cached: "no DBRef at author"
    await notes.insert_one({"_id": 3, "author": {"who": 9}})                     # kept: it brings none
    await notes.insert_one({"_id": 4, "author": DBRef("people", 1, who=7)})      # a DBRef's extra field
    await notes.update_one({"_id": 2}, {"$set": {"author": DBRef("people", 2, who=7)}})
    assert sorted([doc["_id"] async for doc in notes.find({"author.who": 7})]) == [1, 2, 4]
    await client.close()


async def test_a_unique_index_still_sees_an_array_that_arrives_after_scalars(database):
    # The patch keeps "no document holds an array here" across inserts; an array must end that.
    client = AsyncMongoClient(database.uri)
    tags = client.scale.tagged
    await tags.create_index("tag", unique=True)
    await tags.insert_one({"tag": "a"})
    await tags.insert_one({"tag": "b"})              # the engine has now cached "no arrays at tag"
    await tags.insert_one({"tag": ["c", "d"]})
    for duplicate in ({"tag": "c"}, {"tag": ["d"]}, {"tag": ["a", "z"]}):
        with pytest.raises(DuplicateKeyError):
            await tags.insert_one(duplicate)
    assert await tags.count_documents({}) == 3
    await client.close()


@pytest.mark.parametrize("first, second", [
    ("gist-1", "gist-1"),
    (ObjectId("5f1d7f3e9b1e8a3c4d5e6f70"), ObjectId("5f1d7f3e9b1e8a3c4d5e6f70")),
    (1, 1.0),
    (Int64(7), Decimal128("7")),
    ({"a": 1}, {"a": 1.0}),
])
async def test_a_second_document_with_an_equal_id_is_refused(database, first, second):
    client = AsyncMongoClient(database.uri)
    ids = client.scale[f"ids_{type(first).__name__}_{type(second).__name__}"]
    await ids.insert_one({"_id": first, "n": 1})
    with pytest.raises(DuplicateKeyError) as refused:
        await ids.insert_one({"_id": second, "n": 2})
    assert refused.value.code == 11000
    assert [document["n"] for document in await ids.find({}).to_list()] == [1]
    await client.close()


async def test_a_string_id_and_an_object_id_of_the_same_hex_are_two_documents(database):
    client = AsyncMongoClient(database.uri)
    ids = client.scale.mixed
    oid = ObjectId()
    await ids.insert_one({"_id": oid})
    await ids.insert_one({"_id": str(oid)})
    assert await ids.count_documents({}) == 2
    await client.close()


async def test_a_duplicate_in_a_unique_secondary_index_is_still_refused(database):
    client = AsyncMongoClient(database.uri)
    users = client.scale.users
    await users.create_index("handle", unique=True)
    await users.insert_one({"_id": ObjectId(), "handle": "ada"})
    with pytest.raises(DuplicateKeyError):
        await users.insert_one({"_id": ObjectId(), "handle": "ada"})
    await client.close()


async def known_facts(database) -> int:
    """How many facts about collections the engine holds now (its own serverStatus figure)."""
    client = AsyncMongoClient(database.uri)
    status = await client.admin.command("serverStatus")
    await client.close()
    return status["mongoeco"]["engineRuntime"]["caches"]["collectionFeatureCacheEntries"]


async def find_ids(database, query: dict) -> list:
    client = AsyncMongoClient(database.uri)
    found = sorted([doc["_id"] async for doc in client.scale.values.find(query)])
    await client.close()
    return found


async def insert(database, *documents) -> None:
    client = AsyncMongoClient(database.uri)
    await client.scale.values.insert_many(list(documents))
    await client.close()


async def on_the_next_start(database, query: dict) -> tuple[int, list]:
    """(how many facts the engine knows before any read, what `query` finds), on a start of its own."""
    database.start()
    try:
        return await known_facts(database), await find_ids(database, query)
    finally:
        database.stop()


async def test_what_the_engine_learnt_of_a_collection_is_known_again_after_a_clean_restart(tmp_path):
    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    await insert(database, {"_id": 1, "w": 1}, {"_id": 2, "w": 2})
    assert await find_ids(database, {"w": 1}) == [1]   # the engine scans for decimals at w, and remembers
    assert await known_facts(database) > 0
    database.stop()
    known, found = await on_the_next_start(database, {"w": 2})
    assert known > 0 and found == [2]


async def test_a_fact_kept_over_a_restart_is_dropped_when_another_engine_changed_the_file(tmp_path):
    # "No decimal at w" kept from the last run would make SQL compare 1.5 with text and miss the
    # decimal the unpatched engine stored meanwhile: the file's own triggers drop kept facts on any write.
    path = tmp_path / "db.sqlite"
    database = EmbeddedDatabase(path).start()
    await insert(database, {"_id": 1, "w": 1}, {"_id": 2, "w": 2})
    assert await find_ids(database, {"w": 1.5}) == []
    database.stop()
    other = EmbeddedDatabase(path, patched=False).start()
    await insert(other, {"_id": 3, "w": Decimal128("1.5")})
    other.stop()
    assert await on_the_next_start(database, {"w": 1.5}) == (0, [3])


async def test_an_engine_killed_after_a_write_leaves_no_fact_for_the_next_start(tmp_path):
    database = EmbeddedDatabase(tmp_path / "db.sqlite").start()
    await insert(database, {"_id": 1, "w": 1})
    assert await find_ids(database, {"w": 1.5}) == []
    database.stop()
    database.start()
    assert await known_facts(database) > 0
    await insert(database, {"_id": 2, "w": Decimal128("1.5")})
    database.process.kill()   # killed: it writes nothing on its way out
    database.process.wait()
    database.stop()
    assert await on_the_next_start(database, {"w": 1.5}) == (0, [2])


async def test_a_file_whose_kept_facts_table_was_dropped_still_starts_and_takes_writes(tmp_path):
    path = tmp_path / "db.sqlite"
    EmbeddedDatabase(path).start().stop()
    with sqlite3.connect(path) as conn:   # the triggers stay, and would write to a missing table
        conn.execute("DROP TABLE tornadogists_kept_facts")
    database = EmbeddedDatabase(path).start()
    try:
        await insert(database, {"_id": 1, "w": 1})
        assert await find_ids(database, {"w": 1}) == [1]
    finally:
        database.stop()


@pytest.mark.parametrize("patch", ["mongoeco_patch", "mongoeco_insert_patch", "mongoeco_features_patch",
                                   "mongoeco_index_patch", "mongoeco_entries_patch"])
def test_each_patch_refuses_a_mongoeco_it_was_not_checked_against(patch):
    code = ("import mongoeco; mongoeco.__version__ = '4.99.0'\n"
            f"from tornadogists.db import {patch}; {patch}.apply()")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert f"UnsupportedMongoeco: mongoeco 4.99.0 is not a version tornadogists/db/{patch}.py" in result.stderr


def test_the_insert_patch_refuses_a_changed_method():
    code = ("from mongoeco.engines.sqlite import SQLiteEngine\n"
            "def changed(self, *args, **kwargs): pass\n"
            "SQLiteEngine._validate_document_against_unique_indexes = changed\n"
            "from tornadogists.db import mongoeco_insert_patch; mongoeco_insert_patch.apply()")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "UnsupportedMongoeco" in result.stderr
