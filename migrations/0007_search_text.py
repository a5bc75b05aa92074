"""File contents for search move beside the files, into `gist_files`.

0005 kept `search_text` in `gists`; since 0006 moved the files out so that listings
never read heavy documents, `search_text` (as heavy as the contents) follows them.
`gists` keeps a text index on description, tags (weight 10) and file names (5);
`gist_files` gets its own on `search_text` (1). Search adds the two scores per gist.
"""

import datetime

from tornadogists.storage.gists import changed
from tornadogists.text.search import search_fields

TEXT_OPTIONS = {"default_language": "none", "language_override": "search_language", "name": "search"}


async def up(db):
    async for doc in db.gist_files.find({"search_text": {"$exists": False}}, {"files.name": 1, "files.content": 1}):
        text = search_fields(doc.get("files") or [])["search_text"]
        await db.gist_files.update_one({"_id": doc["_id"]}, {"$set": {"search_text": text}})
    # Stamped as changed: a search index built before this ran reads them again.
    await db.gists.update_many({"search_text": {"$exists": True}},
                               {"$unset": {"search_text": ""}, "$set": changed(datetime.datetime.now(datetime.UTC))})
    index = (await db.gists.index_information()).get("search")
    if index and "search_text" in dict(index["key"]):
        await db.gists.drop_index("search")
    await db.gists.create_index(
        [("description", "text"), ("tags", "text"), ("file_names", "text")],
        weights={"description": 10, "tags": 10, "file_names": 5}, **TEXT_OPTIONS,
    )
    await db.gist_files.create_index([("search_text", "text")], **TEXT_OPTIONS)
