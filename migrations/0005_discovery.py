"""Love, tags, listings and search.

- loves (gist_id, user_id) unique: a person loves a gist at most once, even when
  two clicks arrive together; (user_id, created_at) lists a person's loves.
- gists: the indexes behind each sorted listing (loved, per tag, per submitter),
  `loves` set to 0 where missing, and the fields the text index reads
  (`file_names`, `search_text`) filled in for gists imported before they existed.
- One text index per collection: gists (description and tags weighted highest,
  then file names, then file contents) and comments (body). No stemming or stop
  words ("none"): code is not English. `language_override` names a field we never
  write, because a top-level `language` field would otherwise pick the stemmer.
"""

from tornadogists.text.search import search_fields

TEXT_OPTIONS = {"default_language": "none", "language_override": "search_language", "name": "search"}


async def up(db):
    await db.loves.create_index([("gist_id", 1), ("user_id", 1)], unique=True)
    await db.loves.create_index([("user_id", 1), ("created_at", -1), ("_id", -1)])
    await db.gists.create_index([("loves", -1), ("_id", -1)])
    await db.gists.create_index([("tags", 1), ("submitted_at", -1), ("_id", -1)])
    await db.gists.create_index([("submitter.id", 1), ("submitted_at", -1), ("_id", -1)])
    await db.gists.update_many({"loves": {"$exists": False}}, {"$set": {"loves": 0}})
    async for gist in db.gists.find({"search_text": {"$exists": False}}, {"files.name": 1, "files.content": 1}):
        await db.gists.update_one({"_id": gist["_id"]}, {"$set": search_fields(gist.get("files") or [])})
    await db.gists.create_index(
        [("description", "text"), ("tags", "text"), ("file_names", "text"), ("search_text", "text")],
        weights={"description": 10, "tags": 10, "file_names": 5, "search_text": 1}, **TEXT_OPTIONS,
    )
    await db.comments.create_index([("body", "text")], **TEXT_OPTIONS)
    await db.comments.create_index([("author.id", 1), ("created_at", -1), ("_id", -1)])
    await db.comments.create_index([("created_at", -1), ("_id", -1)])
