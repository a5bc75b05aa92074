"""A person's import of their own gists (issue 20): GitHub's listing of them, and the running import."""

from pymongo import ReturnDocument


class GistImports:
    """One document a person, `_id` their user id: {login, listing, job}.

    listing: {gists (GitHub's list, summarised), etags (one a page), complete, fetched_at}.
    job: {ids (in the order chosen), results ([{id, outcome, why}], in the order done),
    state ("running", "paused" or "done"), note, resume_at, started_at}.
    """

    def __init__(self, collection):
        self.collection = collection

    async def get(self, user_id) -> dict | None:
        return await self.collection.find_one({"_id": user_id})

    async def save_listing(self, user_id, login: str, listing: dict) -> None:
        await self.collection.update_one({"_id": user_id}, {"$set": {"login": login, "listing": listing}},
                                         upsert=True)

    async def start_job(self, user_id, ids: list[str], results: list[dict], now) -> None:
        job = {"ids": ids, "results": results, "state": "running", "note": "", "resume_at": None,
               "started_at": now}
        await self.collection.update_one({"_id": user_id}, {"$set": {"job": job}})

    async def add_result(self, user_id, gist_id: str, outcome: str, why: str = "") -> dict | None:
        """Record one gist's outcome; the job as it now stands."""
        doc = await self.collection.find_one_and_update(
            {"_id": user_id, "job": {"$exists": True}},
            {"$push": {"job.results": {"id": gist_id, "outcome": outcome, "why": why}}},
            return_document=ReturnDocument.AFTER)
        return doc and doc["job"]

    async def set_state(self, user_id, state: str, note: str = "", resume_at=None) -> None:
        await self.collection.update_one(
            {"_id": user_id, "job": {"$exists": True}},
            {"$set": {"job.state": state, "job.note": note, "job.resume_at": resume_at}})
