"""Migrations run once each, and move old data into today's shape."""

from tornadogists.migrate import MIGRATIONS_DIR, _modules, apply_migrations


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
