"""The embedded database keeps one SQLite index per entries table, not one copy per MongoDB index
(tornadogists/db/mongoeco_entries_patch.py), and every index still answers as before."""

import sqlite3

from pymongo import AsyncMongoClient

from tornadogists.db.embedded_db import EmbeddedDatabase
from tornadogists.db.mongoeco_entries_patch import KEY, share

TABLES = ("scalar_index_entries", "multikey_entries")


def sqlite_indexes(path) -> dict[str, set[str]]:
    """table -> the names of its SQLite indexes on the engine's entry key."""
    found = {table: set() for table in TABLES}
    with sqlite3.connect(path) as conn:
        for name, table, sql in conn.execute("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' "
                                             "AND tbl_name IN (?, ?)", TABLES):
            if sql and KEY in " ".join(sql.split()):
                found[table].add(name)
    return found


async def fill(database) -> None:
    """Two collections, four single-field indexes (one on an array field, one unique), a few documents."""
    client = AsyncMongoClient(database.uri)
    gists, people = client.site.gists, client.site.people
    for field in ("hot", "tags", "owner"):
        await gists.create_index(field)
    await people.create_index("handle", unique=True)
    await gists.insert_many([{"_id": n, "hot": n % 3, "tags": [f"t{n % 2}", "all"], "owner": f"o{n % 4}"}
                             for n in range(12)])
    await people.insert_many([{"_id": n, "handle": f"p{n}"} for n in range(5)])
    await client.close()


async def answers(database) -> dict:
    """What each index answers: equalities, an array element, a range, a sort through the index."""
    client = AsyncMongoClient(database.uri)
    gists, people = client.site.gists, client.site.people
    found = {
        "hot": [d["_id"] async for d in gists.find({"hot": 1}).sort("_id")],
        "tag": [d["_id"] async for d in gists.find({"tags": "t1"}).sort("_id")],
        "range": await gists.count_documents({"hot": {"$gte": 1}}),
        "sorted": [d["_id"] async for d in gists.find({}, {"_id": 1}).sort([("owner", -1), ("_id", 1)]).limit(4)],
        "person": (await people.find_one({"handle": "p3"}) or {}).get("_id"),
    }
    await client.close()
    return found


EXPECTED = {"hot": [1, 4, 7, 10], "tag": [1, 3, 5, 7, 9, 11], "range": 8, "sorted": [3, 7, 11, 2],
            "person": 3}


async def test_all_indexes_share_one_sqlite_index_per_table_and_answer_as_before(tmp_path):
    path = tmp_path / "db.sqlite"
    database = EmbeddedDatabase(path).start()
    try:
        await fill(database)
        assert await answers(database) == EXPECTED
    finally:
        database.stop()
    # Unpatched there are five copies of the same SQLite index here (four MongoDB indexes, one multikey
    # copy each for the three non-unique ones): each entry written went into all of them.
    assert sqlite_indexes(path) == {"scalar_index_entries": {"tornadogists_scalar_entries_key"},
                                    "multikey_entries": {"tornadogists_multikey_entries_key"}}


async def test_dropping_an_index_or_a_collection_keeps_the_shared_index_for_the_others(tmp_path):
    path = tmp_path / "db.sqlite"
    database = EmbeddedDatabase(path).start()
    try:
        await fill(database)
        client = AsyncMongoClient(database.uri)
        await client.site.gists.drop_index("owner_1")
        await client.site.other.create_index("x")
        await client.site.other.insert_one({"x": 1})
        await client.site.other.drop()
        await client.site.gists.insert_one({"_id": 12, "hot": 1, "tags": ["t1"], "owner": "o0"})
        await client.close()
        found = await answers(database)
        assert found["hot"] == [*EXPECTED["hot"], 12] and found["tag"] == [*EXPECTED["tag"], 12]
        assert found["person"] == 3
    finally:
        database.stop()
    assert all(len(names) == 1 for names in sqlite_indexes(path).values())
    with sqlite3.connect(path) as conn:   # the dropped index's own entries went, as the engine always did
        assert conn.execute("SELECT count(*) FROM scalar_index_entries WHERE index_name = 'owner_1'").fetchone() == (0,)


async def test_a_file_with_the_copies_is_read_through_them_until_it_is_converted_once(tmp_path):
    path = tmp_path / "db.sqlite"
    unpatched = EmbeddedDatabase(path, patched=False).start()
    try:
        await fill(unpatched)
    finally:
        unpatched.stop()
    assert len(sqlite_indexes(path)["scalar_index_entries"]) == 4   # one copy per MongoDB index
    for converted in (False, True):
        if converted:
            share(path)
        database = EmbeddedDatabase(path).start()
        try:
            assert await answers(database) == EXPECTED
            await a_person_written_and_found(database, f"new{converted}")
        finally:
            database.stop()
        assert len(sqlite_indexes(path)["scalar_index_entries"]) == (1 if converted else 4)
    assert sqlite_indexes(path) == {"scalar_index_entries": {"tornadogists_scalar_entries_key"},
                                    "multikey_entries": {"tornadogists_multikey_entries_key"}}


async def a_person_written_and_found(database, handle: str) -> None:
    client = AsyncMongoClient(database.uri)
    await client.site.people.insert_one({"handle": handle})
    assert (await client.site.people.find_one({"handle": handle}))["handle"] == handle
    await client.close()


async def test_the_unpatched_engine_still_reads_a_file_the_patch_wrote(tmp_path):
    path = tmp_path / "db.sqlite"
    database = EmbeddedDatabase(path).start()
    try:
        await fill(database)
    finally:
        database.stop()
    unpatched = EmbeddedDatabase(path, patched=False).start()   # it makes its copies again when it opens the file
    try:
        assert await answers(unpatched) == EXPECTED
    finally:
        unpatched.stop()
