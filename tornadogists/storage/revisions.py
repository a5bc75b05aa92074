"""Every revision of a gist the site has seen (`gist_revisions`) and the files of those shown (`gist_revision_files`).

A revision never changes once made, so both are written once. The files live apart for
the reason gist_files does: a gist's list of revisions must not read megabytes of code.
"""

import datetime

from pymongo.errors import BulkWriteError, DuplicateKeyError

from tornadogists.storage.lookups import each

NEWEST_FIRST = [("committed_at", -1), ("_id", -1)]   # MongoDB's order of listing()
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
FILE_TEXTS = {"files.n": 1, "files.name": 1, "files.content": 1, "files.kind": 1}


def _key(gist_id: str, sha: str) -> str:
    return f"{gist_id}/{sha}"


def _revision(gist_id: str, item: dict, now: datetime.datetime) -> dict:
    return {"_id": _key(gist_id, item["sha"]), "gist_id": gist_id, **item, "seen_at": now}


class Revisions:
    def __init__(self, collection, files_collection):
        self.collection = collection
        self.files = files_collection

    async def record(self, gist_id: str, history: list[dict], now: datetime.datetime) -> int:
        """Keep the revisions of `history` not seen before; return how many were new.

        `history` items: {sha, committed_at, additions, deletions, total, user}.
        """
        known = {doc["sha"] for doc in await self.collection.find({"gist_id": gist_id}, {"sha": 1}).to_list()}
        new = [_revision(gist_id, item, now) for item in history if item["sha"] not in known]
        if not new:
            return 0
        try:
            await self.collection.insert_many(new, ordered=False)
        except BulkWriteError:   # another process recorded some meanwhile: theirs are the same
            pass
        return len(new)

    async def insert_many(self, histories: dict[str, list[dict]], files: dict[str, list[dict]],
                          now: datetime.datetime, session=None) -> None:
        """New gists' histories (gist_id -> as for record) and their current revisions' files, at
        once: bench/scale.py's seeding."""
        await self.collection.insert_many([_revision(gist_id, item, now) for gist_id, history in histories.items()
                                           for item in history], session=session)
        await self.files.insert_many([{"_id": _key(gist_id, histories[gist_id][0]["sha"]), "gist_id": gist_id,
                                       "files": shown} for gist_id, shown in files.items()], session=session)

    async def listing(self, gist_id: str) -> list[dict]:
        """The gist's revisions, newest first (as NEWEST_FIRST: a missing time last), without their files.

        Sorted here: with a sort, the embedded engine first reads every revision of the site for
        arrays and decimals at `committed_at` (300–700 ms of each submission at 50,000 gists)."""
        docs = await self.collection.find({"gist_id": gist_id}).to_list()
        return sorted(docs, key=lambda doc: (doc.get("committed_at") is not None, doc.get("committed_at") or EPOCH,
                                             doc["_id"]), reverse=True)

    async def get(self, gist_id: str, sha: str) -> dict | None:
        return await self.collection.find_one({"_id": _key(gist_id, sha)})

    async def files_of(self, gist_id: str, sha: str) -> list[dict] | None:
        """The revision's files as stored (highlighted), or None when they were never fetched."""
        doc = await self.files.find_one({"_id": _key(gist_id, sha)}, {"files": 1})
        return doc["files"] if doc else None

    async def texts_of(self, gist_id: str, shas: list[str]) -> dict[str, list[dict]]:
        """sha -> its files' numbers, names and contents, for the revisions among `shas` whose files are here."""
        docs = await each(self.files, "_id", [_key(gist_id, sha) for sha in shas], FILE_TEXTS)
        return {doc["_id"].rsplit("/", 1)[1]: doc.get("files", []) for doc in docs}

    async def put_files(self, gist_id: str, sha: str, files: list[dict]) -> bool:
        """Store a revision's files once; False when they were already here."""
        if await self.files.find_one({"_id": _key(gist_id, sha)}, {"_id": 1}):
            return False   # asked first: a refused insert would still have sent megabytes
        try:
            await self.files.insert_one({"_id": _key(gist_id, sha), "gist_id": gist_id, "files": files})
        except DuplicateKeyError:
            return False
        return True
