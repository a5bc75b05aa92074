"""Apply the numbered modules in migrations/ once each, recording them in `migrations`."""

import datetime
import importlib.util
import logging
from pathlib import Path

from pymongo.errors import DuplicateKeyError

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
log = logging.getLogger(__name__)


def _modules(directory: Path):
    for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(f"migrations.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield path.stem, module


async def apply_migrations(db, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Run pending migrations in order; return the names applied now."""
    done = {doc["_id"] for doc in await db.migrations.find({}, {"_id": 1}).to_list()}
    applied = []
    for name, module in _modules(directory):
        if name in done:
            continue
        await module.up(db)
        try:
            await db.migrations.insert_one(
                {"_id": name, "applied_at": datetime.datetime.now(datetime.UTC)}
            )
        except DuplicateKeyError:  # another process applied it meanwhile; ups are idempotent
            pass
        log.info("applied migration %s", name)
        applied.append(name)
    return applied
