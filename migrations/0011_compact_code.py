"""Stored files' code re-rendered in its final page form (issue 9): one HTML string per file.

Files used to keep a list of highlighted lines (`lines`) that the page wrapped in a table
row each, on every view. Now each shown file keeps `code_html` (numbered `<li>` lines,
inserted as they are), `head_html` (the feed's first lines) and `line_count`.
"""

import asyncio
import functools

from tornadogists.config import Settings
from tornadogists.services.gists import code_fields
from tornadogists.workers import TooSlow, run_with_time_limit

# As at import: a file that highlights no faster than this is stored uncoloured.
SECONDS = Settings.render_seconds


async def _rendered(file: dict) -> dict:
    args = (file["n"], file["name"], file.get("content"), file.get("language"))
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(None, run_with_time_limit, SECONDS, code_fields, *args)
    except TooSlow:
        return await loop.run_in_executor(None, functools.partial(code_fields, *args, highlight=False))


async def up(db):
    async for doc in db.gist_files.find({}, {"files": 1}):
        files = doc.get("files") or []
        if all("code_html" in file for file in files):
            continue   # imported (or re-rendered) since: already in today's form
        for file in files:
            file.pop("lines", None)
            file.update(await _rendered(file))
        await db.gist_files.update_one({"_id": doc["_id"]}, {"$set": {"files": files}})
