"""Imported gists: one document each, files and highlighted HTML included."""
# ENGINEERS WORKING IN PARALLEL: read /work/main/ENGINEERS-CONTRACT.md first (data shapes, shared files, rules). This line goes before landing.

# What a gist card needs: never the files' contents.
CARD_FIELDS = {
    "gist_id": 1, "description": 1, "owner": 1, "submitter": 1, "file_count": 1,
    "languages": 1, "tags": 1, "submitted_at": 1, "github_updated_at": 1, "deleted": 1,
}


class Gists:
    def __init__(self, collection):
        self.collection = collection

    async def get(self, gist_id: str) -> dict | None:
        return await self.collection.find_one({"gist_id": gist_id})

    async def file_texts(self, gist_id: str) -> list[dict]:
        """Names and contents only: serving a raw file need not load the highlighted HTML."""
        doc = await self.collection.find_one({"gist_id": gist_id}, {"files.name": 1, "files.content": 1})
        return doc["files"] if doc else []

    async def insert(self, doc: dict) -> None:
        """Raises DuplicateKeyError when the gist is already here."""
        await self.collection.insert_one(doc)

    async def update(self, gist_id: str, changes: dict) -> None:
        await self.collection.update_one({"gist_id": gist_id}, {"$set": changes})

    async def latest(self, page: int, per_page: int) -> list[dict]:
        """Newest first; `page` counts from 1. One extra card tells whether a next page exists."""
        cursor = (
            self.collection.find({}, CARD_FIELDS)
            .sort([("submitted_at", -1), ("_id", -1)])
            .skip((page - 1) * per_page)
            .limit(per_page + 1)
        )
        return await cursor.to_list()
