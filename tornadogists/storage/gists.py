"""Imported gists: metadata in `gists`, files and their highlighted HTML in `gist_files`.

The split keeps listings fast: the embedded server reads whole documents to sort
them, and a gist's files can weigh megabytes while its card weighs a few hundred bytes.
"""

import datetime

from pymongo import ReturnDocument

from tornadogists.storage.counts import count
from tornadogists.storage.listing_counts import ListingCounts
from tornadogists.storage.lookups import each
from tornadogists.text.ranking import SCORED_FIELDS, scores

# What a gist card needs: never the files' contents.
CARD_FIELDS = {
    "gist_id": 1, "description": 1, "owner": 1, "submitter": 1, "file_count": 1,
    "languages": 1, "tags": 1, "submitted_at": 1, "github_updated_at": 1, "deleted": 1,
    "loves": 1, "comment_count": 1, "last_comment_at": 1, "hidden": 1,
}
LATEST = [("submitted_at", -1), ("_id", -1)]
# Listings, feeds, search and the sitemap show only these (services/visibility.py: why hidden).
# Public: `hidden` holds no reason (reasons are strings), whether it is missing, null or []. Said
# this way the embedded engine filters in SQL; `$in: [null, []]` made it deserialize every document.
PUBLIC = {"hidden": {"$not": {"$type": "string"}}}


def is_public(doc: dict) -> bool:
    """PUBLIC, for a document already read."""
    return not doc.get("hidden")

MOST_LOVED = [("loves", -1), ("_id", -1)]
HOT = [("hot", -1), ("_id", -1)]
DISCUSSED = [("discussed_rank", -1), ("_id", -1)]   # text/ranking.py, storage/discussion.py
RESCORE_TRIES = 5   # writes racing one rescore: each try reads the gist afresh
# What decides which listings count a gist (storage/listing_counts.py).
LISTED_FIELDS = {"gist_id": 1, "tags": 1, "languages": 1, "hidden": 1, "submitter": 1}


FILE_OUTLINE = {"files.n": 1, "files.name": 1, "files.kind": 1}


def updated(doc: dict, update: dict) -> dict:
    """`doc` as the update operators a scored write uses leave it ($inc, $max, $min, $addToSet, $set)."""
    if unknown := set(update) - {"$inc", "$max", "$min", "$addToSet", "$set"}:
        raise ValueError(f"a scored write does not apply {', '.join(sorted(unknown))}")
    after = dict(doc)
    for field, value in update.get("$inc", {}).items():
        after[field] = (after.get(field) or 0) + value
    for operator, pick in (("$max", max), ("$min", min)):
        for field, value in update.get(operator, {}).items():
            after[field] = value if after.get(field) is None else pick(after[field], value)
    for field, value in update.get("$addToSet", {}).items():
        present = after.get(field) or []
        after[field] = present if value in present else [*present, value]
    return {**after, **update.get("$set", {})}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def changed(at: datetime.datetime) -> dict:
    """When a gist changed: what the page poller and the search index's catch-up read ranges of."""
    return {"changed_at": at}


def _meta(doc: dict) -> dict:
    """A new gist's record in `gists`: everything but its files, at version 1."""
    meta = {key: value for key, value in doc.items() if key not in ("files", "search_text")}
    meta.setdefault("loves", 0)  # so "most loved" sorts a new gist with the others at zero
    return {**meta, "version": 1, **changed(_now()), **scores(meta)}


class Gists:
    def __init__(self, collection, files_collection, counts_collection, discussion):
        self.collection = collection
        self.discussion = discussion   # the shown comments of the last 30 days (storage/discussion.py)
        self.files = files_collection
        self.counts = ListingCounts(counts_collection)
        # Counts this process's writes: a cached listing older than the last write is stale.
        self.writes = 0
        # gist_id -> the newest page version this process knows of: its own writes set it at
        # once, the version poller (services/page_cache.py) learns other processes' writes.
        self.versions: dict[str, int] = {}

    def saw_version(self, gist_id: str, version: int) -> None:
        if version > self.versions.get(gist_id, -1):
            self.versions[gist_id] = version

    async def _write(self, gist_id: str, update: dict, fields: dict | None = None,
                     returned=ReturnDocument.AFTER, where: dict | None = None) -> dict | None:
        """Every write that changes what a gist's page shows bumps its version in the same update
        (made only where the gist also matches `where`, else None)."""
        update = {**update, "$inc": {**update.get("$inc", {}), "version": 1}}
        update["$set"] = {**update.get("$set", {}), **changed(_now())}
        doc = await self.collection.find_one_and_update({"gist_id": gist_id, **(where or {})}, update,
                                                        projection={**(fields or {}), "version": 1},
                                                        return_document=returned)
        self.writes += 1
        if doc:
            self.saw_version(gist_id, doc.get("version", 0) + (returned is ReturnDocument.BEFORE))
        return doc

    async def _write_listed(self, gist_id: str, update: dict, after, fields: dict | None = None) -> dict | None:
        """A write that may move the gist in or out of listings: `after(before)` says what the
        update makes of the gist as it was read atomically, and the listing counts follow."""
        before = await self._write(gist_id, update, {**LISTED_FIELDS, **(fields or {})}, ReturnDocument.BEFORE)
        if before is None:
            return None
        changed = {**after(before), "version": before.get("version", 0) + 1}
        await self.counts.move(before, changed)
        return changed

    async def _write_scored(self, gist_id: str, update: dict, fields: dict | None = None) -> dict | None:
        """A write that changes the gist's points, its scores (text/ranking.py) in the same update.

        The scores are those of the gist as just read with `update` applied, so the write is made
        only where the gist is still at the version read; after another write came between, it
        reads again. (It was two writes, the update and then its scores; a read costs far less.)"""
        fields = {**SCORED_FIELDS, **(fields or {})}
        for _ in range(RESCORE_TRIES):
            if (read := await self._scored_fields(gist_id)) is None:
                return None
            scored = {**update, "$set": {**update.get("$set", {}), **scores(updated(read, update))}}
            if doc := await self._write(gist_id, scored, fields, where={"version": read.get("version")}):
                return doc
        doc = read = await self._write(gist_id, update, fields)   # many writes at once: this one first, then its scores
        for _ in range(RESCORE_TRIES):
            if read is None or (await self.collection.update_one(
                    {"gist_id": gist_id, "version": read["version"]}, {"$set": scores(read)})).matched_count:
                break
            read = await self._scored_fields(gist_id)
        return doc

    async def _scored_fields(self, gist_id: str) -> dict | None:
        return await self.collection.find_one({"gist_id": gist_id}, {**SCORED_FIELDS, "version": 1})

    async def bump(self, query: dict) -> None:
        """Bump the version of many gists at once (a person's new handle shows on all their pages)."""
        await self.collection.update_many(query, {"$inc": {"version": 1}, "$set": changed(_now())})
        self.writes += 1
        for doc in await self.collection.find(query, {"gist_id": 1, "version": 1}).to_list():
            self.saw_version(doc["gist_id"], doc["version"])

    async def touch(self, gist_id: str) -> None:
        """The page changed without the gist's own fields changing (a comment was edited)."""
        await self._write(gist_id, {})

    async def changed_since(self, since: datetime.datetime) -> list[dict]:
        """gist_id, version and changed_at of every gist changed at or after `since`: one query for all."""
        cursor = self.collection.find({"changed_at": {"$gte": since}}, {"_id": 0, "gist_id": 1, "version": 1,
                                                                          "changed_at": 1})
        return await cursor.to_list()

    async def get(self, gist_id: str) -> dict | None:
        """The whole gist, files included."""
        gist = await self.collection.find_one({"gist_id": gist_id})
        if gist:
            gist["files"] = await self._files(gist_id)
        return gist

    async def _files(self, gist_id: str, fields: dict | None = None) -> list[dict]:
        doc = await self.files.find_one({"_id": gist_id}, fields or {"files": 1})
        return doc["files"] if doc else []

    async def _put_files(self, gist_id: str, files: list[dict], search_text: str) -> None:
        # search_text (the contents, for the text index) lives beside the files: it is as
        # heavy as they are, and listings sort `gists` by reading whole documents.
        await self.files.replace_one({"_id": gist_id}, {"_id": gist_id, "files": files, "search_text": search_text},
                                     upsert=True)

    async def insert(self, doc: dict) -> None:
        """Raises DuplicateKeyError when the gist is already here."""
        # Files first: once the gist is visible, its files are there. A losing duplicate
        # rewrote the same files, which is harmless.
        await self._put_files(doc["gist_id"], doc["files"], doc.get("search_text", ""))
        meta = _meta(doc)
        await self.collection.insert_one(meta)
        await self.counts.move(None, meta)
        doc["_id"] = meta["_id"]
        self.writes += 1
        self.saw_version(doc["gist_id"], 1)

    async def insert_many(self, docs: list[dict], session=None) -> None:
        """Many new gists at once, stored as insert() stores each: for bench/scale.py's seeding."""
        await self.files.insert_many([{"_id": doc["gist_id"], "files": doc["files"],
                                       "search_text": doc.get("search_text", "")} for doc in docs], session=session)
        metas = [_meta(doc) for doc in docs]
        await self.collection.insert_many(metas, session=session)
        await self.counts.add_many(metas, session)
        self.writes += 1

    async def update(self, gist_id: str, changes: dict) -> None:
        if "files" in changes:
            changes = dict(changes)
            await self._put_files(gist_id, changes.pop("files"), changes.pop("search_text", ""))
        if "languages" in changes:   # a refresh: the gist's files may be in other languages now
            await self._write_listed(gist_id, {"$set": changes}, lambda before: {**before, **changes})
        else:
            await self._write(gist_id, {"$set": changes})

    async def latest(self, page: int, per_page: int) -> list[dict]:
        """Newest first; `page` counts from 1. One extra card tells whether a next page exists."""
        return await self._page({}, LATEST, page, per_page)

    async def set_hidden(self, gist_id: str, reason: str, hidden: bool, changes: dict | None = None) -> dict | None:
        """Add or take away one reason the gist is hidden (services/visibility.py); the gist after."""
        update = {"$addToSet" if hidden else "$pull": {"hidden": reason}, **({"$set": changes} if changes else {})}

        def after(before: dict) -> dict:
            reasons = [kept for kept in before.get("hidden") or [] if kept != reason]
            return {**before, "hidden": reasons + [reason] if hidden else reasons}
        return await self._write_listed(gist_id, update, after, {"description": 1})

    async def submitted_since(self, user_id, since: datetime.datetime) -> int:
        return await count(self.collection, {"submitter.id": user_id, "submitted_at": {"$gte": since}})

    async def present(self, gist_ids: list[str]) -> set[str]:
        """Which of these gists are here already (whoever submitted them, whatever their state)."""
        return set(await self.collection.distinct("gist_id", {"gist_id": {"$in": list(gist_ids)}}))

    async def ids_by_submitter(self, user_id, hidden_for: str | None = None) -> list[str]:
        """A person's gists; with `hidden_for`, only those hidden for that reason."""
        query = {"submitter.id": user_id, **({"hidden": hidden_for} if hidden_for else {})}
        return await self.collection.distinct("gist_id", query)

    async def public_ids_by_submitter(self, user_id, limit: int) -> list[str]:
        cursor = self.collection.find({"submitter.id": user_id, **PUBLIC}, {"gist_id": 1}).limit(limit)
        return [doc["gist_id"] for doc in await cursor.to_list()]

    async def hidden_for(self, reason: str, limit: int) -> list[dict]:
        """Gists hidden for `reason`, oldest first (the held-for-review queue)."""
        fields = {**CARD_FIELDS, "intro": 1, "hidden": 1}
        cursor = self.collection.find({"hidden": reason}, fields).sort([("submitted_at", 1)])
        return await cursor.limit(limit).to_list()

    async def meta(self, gist_id: str) -> dict | None:
        """The gist's record without its files (what moderators look at)."""
        return await self.collection.find_one({"gist_id": gist_id})

    async def drop_files(self, gist_id: str) -> None:
        """A removed gist's files (its record stays, hidden, so every process's page cache hears of it)."""
        await self.files.delete_one({"_id": gist_id})

    # Discussion (issue 4): what comments need of a gist, and its comment counter.

    async def outline(self, gist_id: str, with_content: bool = False) -> dict | None:
        """Everything but the highlighted HTML; file contents only when asked (to check a line)."""
        fields = {"gist_id": 1, "description": 1, "revision": 1, "submitter": 1, "hidden": 1}
        gist = await self.collection.find_one({"gist_id": gist_id}, fields)
        if gist:
            gist["files"] = await self._files(gist_id, {**FILE_OUTLINE, **({"files.content": 1, "files.line_count": 1} if with_content else {})})
        return gist

    async def version_of(self, gist_id: str) -> int | None:
        """The gist's page version as stored now (another process may have bumped it)."""
        doc = await self.collection.find_one({"gist_id": gist_id}, {"version": 1})
        return doc.get("version", 0) if doc else None

    async def comment_added(self, gist_id: str, at, author_id=None) -> None:
        # $inc, never a recount: fifty comments arriving at once must all count.
        lately = self.discussion.added(at)
        update = {"$inc": {"comment_count": 1, **lately["$inc"]}, "$max": {"last_comment_at": at, **lately["$max"]},
                  "$min": lately["$min"]}
        if author_id is not None:   # the people taking part, for the hot score
            update["$addToSet"] = {"commenter_ids": author_id}
        await self._write_scored(gist_id, update)

    async def _write_discussed(self, gist_id: str, update: dict) -> None:
        """A write after comments were hidden, shown or brought in: the gist's 30 days are counted again."""
        doc = await self._write_scored(gist_id, update)
        if doc:
            await self.discussion.recount(gist_id, doc["version"])

    async def github_comments_synced(self, gist_id: str, delta: int, last_at, state: dict) -> None:
        """GitHub's comments were brought here (issue 11): `delta` more shown, their paging state kept."""
        update = {"$inc": {"comment_count": delta}, "$set": {"github_comments": state}}
        if last_at is not None:
            update["$max"] = {"last_comment_at": last_at}
        await self._write_discussed(gist_id, update)

    async def header(self, gist_id: str) -> dict | None:
        """A gist as pages about its revisions show it: the card, its revision and GitHub link, no files."""
        fields = {**CARD_FIELDS, "revision": 1, "html_url": 1, "revision_count": 1, "revision_number": 1}
        return await self.collection.find_one({"gist_id": gist_id}, fields)

    async def comments_changed(self, gist_id: str, delta: int) -> None:
        """Comments were hidden (delta < 0) or shown again: the count moves, the page changes."""
        await self._write_discussed(gist_id, {"$inc": {"comment_count": delta}})

    # Discovery (issue 5): listings, loves, tags, search, feeds, sitemap.

    async def _page(self, query: dict, sort: list, page: int, per_page: int, fields: dict | None = None) -> list[dict]:
        """Cards in `sort` order (always ending on _id, so pages never overlap); one extra card."""
        cursor = (self.collection.find({**query, **PUBLIC}, {**CARD_FIELDS, **(fields or {})})
                  .sort(sort).skip((page - 1) * per_page))
        return await cursor.limit(per_page + 1).to_list()

    async def most_loved(self, page: int, per_page: int) -> list[dict]:
        return await self._page({}, MOST_LOVED, page, per_page)

    async def hottest(self, page: int, per_page: int) -> list[dict]:
        return await self._page({}, HOT, page, per_page)

    async def recount_discussed(self, now: datetime.datetime, limit: int) -> int:
        """Count again (up to `limit`) the gists whose 30-day count fell with time alone; how many."""
        due = await self.discussion.expired(now, limit)
        for gist_id, version in due:
            await self.discussion.recount(gist_id, version, now)
        if due:
            self.writes += 1   # cached "most discussed" pages are stale
        return len(due)

    async def most_discussed(self, page: int, per_page: int) -> list[dict]:
        """Most shown comments of the last 30 days first, each card with that count as `discussed`."""
        return await self._page({"discussed_rank": {"$gt": 0}}, DISCUSSED, page, per_page, {"discussed": 1})

    async def in_language(self, language: str, page: int, per_page: int) -> list[dict]:
        return await self._page({"languages": language}, LATEST, page, per_page)

    async def tagged(self, tag: str, page: int, per_page: int) -> list[dict]:
        return await self._page({"tags": tag}, LATEST, page, per_page)

    async def submitted_by(self, user_id, page: int, per_page: int) -> list[dict]:
        return await self._page({"submitter.id": user_id}, LATEST, page, per_page)

    async def related_candidates(self, gist: dict, limit: int) -> list[dict]:
        """Public gists that may be like `gist` (never itself): the newest `limit` sharing one of its
        tags and the newest `limit` sharing one of its languages — two indexed queries. (No $text
        query: the embedded server runs it as a scan; words weigh in among these, text/ranking.py.)"""
        found: dict[str, dict] = {}
        fields = {**CARD_FIELDS, "file_names": 1, "version": 1}
        for field in ("tags", "languages"):
            if gist.get(field):
                query = {field: {"$in": gist[field]}, "gist_id": {"$ne": gist["gist_id"]}, **PUBLIC}
                for doc in await self.collection.find(query, fields).sort(LATEST).limit(limit).to_list():
                    found[doc["gist_id"]] = doc
        return list(found.values())

    async def get_card(self, gist_id: str) -> dict | None:
        return await self.collection.find_one({"gist_id": gist_id}, CARD_FIELDS)

    async def cards(self, gist_ids: list[str]) -> list[dict]:
        """Cards for these public gists, in the order given; unknown and hidden ones are left out."""
        return [doc for doc in await each(self.collection, "gist_id", gist_ids, CARD_FIELDS) if is_public(doc)]

    async def add_loves(self, gist_id: str, delta: int) -> int:
        """Atomically add `delta` to the gist's love count; return the new count."""
        doc = await self._write_scored(gist_id, {"$inc": {"loves": delta}})
        return doc["loves"] if doc else 0

    async def set_tags(self, gist_id: str, tags: list[str]) -> None:
        await self._write_listed(gist_id, {"$set": {"tags": tags}}, lambda before: {**before, "tags": tags})

    async def tag_counts(self) -> list[dict]:
        """Every tag with the number of public gists carrying it, most used first: from the counts
        every write keeps (storage/listing_counts.py), not from reading every gist."""
        return await self.counts.tags()

    async def most_loved_submitters(self, limit: int) -> list[dict]:
        """People whose submitted gists got the most loves, with their user record."""
        cursor = await self.collection.aggregate([
            {"$match": PUBLIC},
            {"$group": {"_id": "$submitter.id", "loves": {"$sum": {"$ifNull": ["$loves", 0]}},
                        "gists": {"$sum": 1}}},
            {"$match": {"loves": {"$gt": 0}}},
            {"$sort": {"loves": -1, "gists": -1, "_id": 1}},
            {"$limit": limit},
            {"$lookup": {"from": "users", "localField": "_id", "foreignField": "_id", "as": "user"}},
            {"$unwind": "$user"},
        ])
        return await cursor.to_list()

    async def files_of(self, gist_ids: list[str]) -> dict[str, list[dict]]:
        """Names and contents of these gists' files, for search excerpts."""
        docs = await each(self.files, "_id", gist_ids, {**FILE_OUTLINE, "files.content": 1})
        return {doc["_id"]: doc.get("files", []) for doc in docs}

    async def feed_entries(self, query: dict, limit: int, hot: bool = False) -> list[dict]:
        """Newest (or hottest) gists with their intro and the first shown file's first highlighted lines."""
        fields = {**CARD_FIELDS, "intro_html": 1, "html_url": 1}
        cursor = self.collection.find({**query, **PUBLIC}, fields).sort(HOT if hot else LATEST)
        gists = await cursor.limit(limit).to_list()
        heads = {"files.name": 1, "files.head_html": 1, "files.line_count": 1}
        docs = await each(self.files, "_id", [gist["gist_id"] for gist in gists], heads)
        files = {doc["_id"]: doc.get("files", []) for doc in docs}
        for gist in gists:   # the first file shown: one with lines
            gist["first"] = next((f for f in files.get(gist["gist_id"], []) if f.get("line_count", 0) > 0), None)
        return gists

    async def sitemap(self, skip: int, limit: int) -> list[dict]:
        """Gists' ids, submitters, times and reasons to hide, oldest first, hidden ones too: one
        sitemap file's (services/discovery.py leaves those out). Filtered here, every gist skipped
        was read for it: 1.6 s for the last file at 50,000 gists, 0.5 s without."""
        fields = {"_id": 0, "gist_id": 1, "submitter": 1, "submitted_at": 1, "github_updated_at": 1, "hidden": 1}
        cursor = self.collection.find({}, fields).sort([("submitted_at", 1), ("_id", 1)])
        return await cursor.skip(skip).limit(limit).to_list()

    async def stored(self) -> int:
        """How many gists are stored, hidden ones too (the collection's metadata: no count)."""
        return await self.collection.estimated_document_count()
