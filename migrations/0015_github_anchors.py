"""Line anchors as gist.github.com builds them (`#file-hello_tornado-py-L5`), so GitHub's links land here.

Stored code (`code_html` of gist_files and gist_revision_files) named each line by the file's
position (`<li id=file-2-L5><a href=#file-2-L5>`); a position changes when files are added
upstream. Each line is named after its file (text/highlight.py file_anchor), as numbered_lines
now writes it; nothing is highlighted again. The old anchors still land (static/site.js).
"""

import re

from tornadogists.text.highlight import file_anchor

BY_POSITION = re.compile(r"<li id=file-\d+-L(\d+)><a href=#file-\d+-L\d+>")


def with_anchor(code_html: str, name: str) -> str:
    anchor = file_anchor(name)
    return BY_POSITION.sub(lambda m: f"<li id={anchor}-L{m[1]}><a href=#{anchor}-L{m[1]}>", code_html)


async def up(db):
    for collection in (db.gist_files, db.gist_revision_files):
        async for doc in collection.find({}, {"files": 1}):
            files = doc.get("files") or []
            changed = [{**file, "code_html": with_anchor(file["code_html"], file["name"])}
                       if file.get("code_html") else file for file in files]
            if changed != files:
                await collection.update_one({"_id": doc["_id"]}, {"$set": {"files": changed}})
