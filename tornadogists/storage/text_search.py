"""Search on a real MongoDB: its text indexes on gists, gist_files and comments ($text).

The same interface as the embedded default's SQLite index (storage/search_index.py) and,
as far as the tests check, the same answers. Each collection gives at most CANDIDATES best
matches; they are merged, filtered and sorted here because $text cannot be combined across
collections by the database. A big deployment runs this on MongoDB, or on Atlas Search.
"""

import re

from tornadogists.storage.counts import count
from tornadogists.storage.comments import PUBLIC as PUBLIC_COMMENT
from tornadogists.storage.gists import PUBLIC
from tornadogists.text.search_query import SearchQuery

CANDIDATES = 300
SORTS = {
    "relevance": lambda hit: (-hit["score"], -hit["at"]),
    "newest": lambda hit: (-hit["at"], hit["gist_id"]),
    "loved": lambda hit: (-hit["loves"], -hit["at"]),
    "discussed": lambda hit: (-hit["comments"], -hit["at"]),
}
MONGO_SORTS = {"newest": [("submitted_at", -1)], "loved": [("loves", -1), ("submitted_at", -1)],
               "discussed": [("comment_count", -1), ("submitted_at", -1)]}
SORT_FIELDS = {"gist_id": 1, "submitted_at": 1, "loves": 1, "comment_count": 1}


async def text_scores(collection, query: str, also: dict, limit: int) -> dict:
    """_id -> relevance of the best `limit` documents matching a $text query (and `also`).

    Only the score is projected: the embedded server drops every other field from a
    $text query's projection, so callers read the fields they need by _id afterwards.
    """
    score = {"$meta": "textScore"}
    cursor = collection.find({"$text": {"$search": query}, **also}, {"score": score})
    return {doc["_id"]: doc["score"] for doc in await cursor.sort([("score", score)]).limit(limit).to_list()}


def mongo_text(texts: list[str], phrases: list[str] = ()) -> str:
    return " ".join([f'"{phrase}"' for phrase in phrases] + [text.replace('"', "") for text in texts])


def _exactly(value: str) -> re.Pattern:
    return re.compile(f"^{re.escape(value)}$", re.IGNORECASE)


def gist_filter(query: SearchQuery, loved: list[str] | None) -> dict:
    """The filters as a query on `gists`, public gists only."""
    conditions = [{"languages": _exactly(language)} for language in query.languages]
    conditions += [{"tags": tag} for tag in query.tags]
    conditions += [{"submitter.handle": _exactly(user)} for user in query.users]
    conditions += [{"owner.login": _exactly(owner)} for owner in query.owners]
    if loved is not None:
        conditions.append({"gist_id": {"$in": loved}})
    return {**PUBLIC, **({"$and": conditions} if conditions else {})}


class MongoTextSearch:
    def __init__(self, gists_storage, comments_storage):
        self.gists_storage, self.comments_storage = gists_storage, comments_storage   # their named queries
        self.gists, self.files = gists_storage.collection, gists_storage.files
        self.comments = comments_storage.collection

    async def sync(self) -> None:
        """Nothing to do: MongoDB keeps its text indexes itself."""

    async def languages(self) -> list[str]:
        return sorted({language.lower() for language in await self.gists.distinct("languages", PUBLIC) if language})

    def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def _by_gist(self, collection, text: str, also: dict) -> dict[str, float]:
        """gist_id -> score in `collection` (gists' _id is not the gist_id; gist_files' is)."""
        scores = await text_scores(collection, text, also, CANDIDATES)
        if collection is not self.gists:
            return scores
        cursor = self.gists.find({"_id": {"$in": list(scores)}}, {"gist_id": 1})
        return {doc["gist_id"]: scores[doc["_id"]] for doc in await cursor.to_list()}

    async def _matches(self, query: SearchQuery) -> tuple[dict[str, float], dict[str, dict]]:
        """(gist_id -> score of its own text, gist_id -> its best matching comment {_id, score})."""
        text, scores, best = mongo_text(query.words, query.phrases), {}, {}
        places = [place for place in ("title", "code") if place in query.places]
        for collection in [{"title": self.gists, "code": self.files}[place] for place in places]:
            for gist_id, score in (await self._by_gist(collection, text, PUBLIC if collection is self.gists
                                                        else {})).items():
                scores[gist_id] = scores.get(gist_id, 0) + score
        if "comments" in query.places:
            found = await text_scores(self.comments, text, PUBLIC_COMMENT, CANDIDATES)
            for doc in await self._gist_ids_of(found):
                if doc["gist_id"] not in best or best[doc["gist_id"]]["score"] < found[doc["_id"]]:
                    best[doc["gist_id"]] = {"_id": doc["_id"], "score": found[doc["_id"]]}
        if query.excluded:   # -word leaves out a gist whose own text holds it, and a discussion that does
            text = mongo_text(query.excluded)
            for collection in (self.gists, self.files):
                for gist_id in await self._by_gist(collection, text, {}):
                    scores.pop(gist_id, None)
                    best.pop(gist_id, None)
            for doc in await self._gist_ids_of(await text_scores(self.comments, text, PUBLIC_COMMENT, CANDIDATES)):
                best.pop(doc["gist_id"], None)
        return scores, best

    async def _gist_ids_of(self, comment_ids) -> list[dict]:
        return await self.comments.find({"_id": {"$in": list(comment_ids)}}, {"gist_id": 1}).to_list()

    async def find(self, query: SearchQuery, loved: list[str] | None, sort: str, offset: int,
                   limit: int) -> tuple[int, list[dict]]:
        """(how many public gists match, one page of results in `sort` order), as SqliteSearchIndex.find."""
        total, hits = await self._page(query, loved, sort, offset, limit)
        cards = {card["gist_id"]: card for card in await self.gists_storage.cards([hit["gist_id"] for hit in hits])}
        comment_ids = [hit["comment_id"] for hit in hits if hit["comment_id"]]
        comments = {str(doc["_id"]): doc for doc in await self.comments_storage.public_by_ids(comment_ids)}
        files = await self.gists_storage.files_of(list(cards))
        return total, [{"gist_id": hit["gist_id"], "score": hit["score"], "gist": cards[hit["gist_id"]],
                        "files": files.get(hit["gist_id"], []), "comment": comments.get(hit["comment_id"])}
                       for hit in hits if hit["gist_id"] in cards]

    async def _page(self, query: SearchQuery, loved: list[str] | None, sort: str, offset: int,
                    limit: int) -> tuple[int, list[dict]]:
        allowed = gist_filter(query, loved)
        if not query.has_text:   # filters alone: a listing
            cursor = self.gists.find(allowed, {"gist_id": 1}).sort(MONGO_SORTS.get(sort, MONGO_SORTS["newest"]))
            page = await cursor.skip(offset).limit(limit).to_list()
            return (await count(self.gists, allowed),
                    [{"gist_id": doc["gist_id"], "score": 0, "comment_id": None} for doc in page])
        scores, best = await self._matches(query)
        ids = list(scores.keys() | best.keys())
        cursor = self.gists.find({**allowed, "gist_id": {"$in": ids}}, SORT_FIELDS)
        hits = [{"gist_id": doc["gist_id"], "at": doc["submitted_at"].timestamp(), "loves": doc.get("loves") or 0,
                 "comments": doc.get("comment_count") or 0,
                 "score": scores.get(doc["gist_id"], 0) + best.get(doc["gist_id"], {}).get("score", 0),
                 "comment_id": str(best[doc["gist_id"]]["_id"]) if doc["gist_id"] in best else None}
                for doc in await cursor.to_list()]
        hits.sort(key=SORTS[sort])
        return len(hits), [{key: hit[key] for key in ("gist_id", "score", "comment_id")}
                           for hit in hits[offset:offset + limit]]
