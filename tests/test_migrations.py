"""Migrations run once each, and move old data into today's shape."""

import datetime
import re

from bson import ObjectId

from tests.code_lines import lines_of
from tests.discussion import HELLO, submit
from tornadogists.db.migrate import MIGRATIONS_DIR, _modules, apply_migrations
from tornadogists.storage import Storage


async def test_every_migration_is_recorded_and_none_runs_twice(db):
    names = [name for name, _ in _modules(MIGRATIONS_DIR)]
    recorded = [doc["_id"] for doc in await db.migrations.find().sort("_id").to_list()]
    assert recorded == names
    assert await apply_migrations(db) == []


async def test_files_stored_inside_a_gist_move_to_gist_files(db):
    files = [{"n": 1, "name": "a.py", "content": "x = 1\n", "lines": ["x = 1"], "kind": "text"}]
    await db.gists.insert_one({"gist_id": "0123456789abcdef0123", "files": files})
    [move] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0006_gist_files"]
    await move.up(db)
    assert "files" not in await db.gists.find_one({"gist_id": "0123456789abcdef0123"})
    assert (await db.gist_files.find_one({"_id": "0123456789abcdef0123"}))["files"] == files


async def test_sessions_replace_session_versions_and_addresses_take_their_canonical_spelling(db):
    await db.users.insert_many([
        {"handle": "old", "email": "old@bücher.example", "session_version": 3},
        {"handle": "quoted", "email": '"q"@example.org'},               # refused today: kept as it was
        {"handle": "twin", "email": "twin@xn--bcher-kva.example"},
        {"handle": "twin-2", "email": "twin@bücher.example"},            # its spelling is twin's: kept
    ])
    [sessions] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0008_sessions"]
    await sessions.up(db)
    emails = {doc["handle"]: doc["email"] for doc in await db.users.find().to_list()}
    assert emails == {"old": "old@xn--bcher-kva.example", "quoted": '"q"@example.org',
                      "twin": "twin@xn--bcher-kva.example", "twin-2": "twin@bücher.example"}
    assert await db.users.count_documents({"session_version": {"$exists": True}}) == 0
    assert "user_id_1" in await db.sessions.index_information()


async def test_files_stored_as_highlighted_lines_are_rerendered_in_their_final_form(signed_in, db):
    await submit(signed_in)
    today = (await db.gist_files.find_one({"_id": HELLO}))["files"]
    old = [{key: value for key, value in file.items() if key not in ("code_html", "head_html", "line_count")}
           for file in today]
    for file in old:   # as issue 4 stored them: one string of Pygments spans per line
        file["lines"] = ['<span class="k">old</span>'] * (file["content"] or "x\n").count("\n")
    await db.gist_files.update_one({"_id": HELLO}, {"$set": {"files": old}})
    [rerender] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0011_compact_code"]
    await rerender.up(db)
    await rerender.up(db)   # idempotent
    assert (await db.gist_files.find_one({"_id": HELLO}))["files"] == today
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert [line["id"] for line in lines_of(page, 2)] == [f"file-2-L{i}" for i in range(1, 15)]


async def test_stored_line_links_without_a_number_get_theirs(signed_in, db):
    await submit(signed_in)
    await signed_in.get(f"/gists/{HELLO}/revisions")
    today = (await db.gist_files.find_one({"_id": HELLO}))["files"]
    assert "<a href=#file-2-L3>3</a>" in today[1]["code_html"]
    old = [{**file, "code_html": re.sub(r"(<a href=#file-\d+-L\d+>)\d+</a>", r"\1</a>", file["code_html"])}
           for file in today]
    assert old != today
    for collection in (db.gist_files, db.gist_revision_files):
        assert (await collection.update_many({"files.0": {"$exists": True}}, {"$set": {"files": old}})).modified_count
    [numbers] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0014_line_numbers"]
    await numbers.up(db)
    await numbers.up(db)   # idempotent
    for collection in (db.gist_files, db.gist_revision_files):
        assert [doc["files"] async for doc in collection.find()] == [today]


async def test_sent_mail_older_than_30_days_expires_from_the_mail_queue_and_unsent_mail_stays(db):
    now = datetime.datetime.now(datetime.UTC)
    await db.mail_outbox.insert_many([
        {"status": "sent", "sent_at": now - datetime.timedelta(days=31)},
        {"status": "sent", "sent_at": now - datetime.timedelta(days=29)},
        {"status": "pending"},
    ])
    await db.mail_outbox.insert_one({"status": "pending"})  # the embedded engine purges on a write
    kept = await db.mail_outbox.find({}, {"_id": 0}).to_list()
    assert len(kept) == 3
    assert all(doc.get("sent_at") is None or now - doc["sent_at"].replace(tzinfo=datetime.UTC)
               < datetime.timedelta(days=30) for doc in kept)


async def test_loves_are_keyed_by_gist_and_person_and_stay_single(db):
    person = ObjectId()
    await db.loves.drop()
    await db.loves.create_index([("gist_id", 1), ("user_id", 1)], unique=True)
    await db.loves.insert_many([{"gist_id": "a" * 20, "user_id": person, "created_at": 1},
                                {"gist_id": "b" * 20, "user_id": person, "created_at": 2}])
    [keys] = [module for name, module in _modules(MIGRATIONS_DIR) if name == "0016_love_keys"]
    await keys.up(db)
    await keys.up(db)   # idempotent
    assert sorted([doc["_id"] async for doc in db.loves.find()]) == [f"{'a' * 20}:{person}", f"{'b' * 20}:{person}"]
    assert "gist_id_1_user_id_1" not in await db.loves.index_information()
    loves = Storage(db).loves
    assert not await loves.add("a" * 20, person, 3)          # the key refuses a second love
    assert await loves.exists("b" * 20, person) and await loves.remove("b" * 20, person)
