"""The one $text query shape both searchable collections (gists, comments) use."""


async def text_scores(collection, query: str, also: dict, limit: int) -> dict:
    """_id -> relevance of the best `limit` documents matching a $text query (and `also`).

    Only the score is projected: the embedded server drops every other field from a
    $text query's projection, so callers read the fields they need by _id afterwards.
    """
    score = {"$meta": "textScore"}
    cursor = collection.find({"$text": {"$search": query}, **also}, {"score": score})
    return {doc["_id"]: doc["score"] for doc in await cursor.sort([("score", score)]).limit(limit).to_list()}
