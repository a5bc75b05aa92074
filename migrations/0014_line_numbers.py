"""Line numbers as text in their links, so a screen reader has a name to say without JavaScript.

Stored code (`code_html` of gist_files and gist_revision_files) had an empty link at the start
of each line, its number drawn by a CSS counter, which gave the link no accessible name. Each
link gets its number, as text/highlight.py numbered_lines now writes it; nothing is highlighted again.
"""

import re

EMPTY_LINK = re.compile(r"(<li id=file-\d+-L(\d+)><a href=#file-\d+-L\d+>)</a>")


def with_numbers(code_html: str) -> str:
    return EMPTY_LINK.sub(r"\1\2</a>", code_html)


async def up(db):
    for collection in (db.gist_files, db.gist_revision_files):
        async for doc in collection.find({}, {"files": 1}):
            files = doc.get("files") or []
            changed = [{**file, "code_html": with_numbers(file["code_html"])} if file.get("code_html") else file
                       for file in files]
            if changed != files:
                await collection.update_one({"_id": doc["_id"]}, {"$set": {"files": changed}})
