"""People's reports of gists and comments: one per person per item, open until an admin acts on the item."""

import datetime

OPEN = "open"


class Reports:
    def __init__(self, collection):
        self.collection = collection

    async def put(self, item: dict, reporter: dict, reason: str, note: str, standing: dict,
                  now: datetime.datetime) -> list[dict]:
        """Add this person's report of `item`, or update the one they made; return the item's open
        reports. A report an admin has closed stays closed. `standing`: the reporter's weight,
        whether the account is new, its network (services/trust.py)."""
        await self.collection.update_one(
            {"_id": f"{item['key']}:{reporter['_id']}"},
            {"$set": {"reason": reason, "note": note, "updated_at": now, **standing},
             "$setOnInsert": {"item": item["key"], "kind": item["kind"], "gist_id": item["gist_id"],
                              "comment_id": item.get("comment_id"), "state": OPEN, "created_at": now,
                              "reporter": {"id": reporter["_id"], "handle": reporter["handle"]}}},
            upsert=True,
        )
        return await self.of_item(item["key"])

    async def reported(self, item_keys: list[str]) -> set[str]:
        """Those of these items someone reported, unless an admin found the reports wrong (kept the item)."""
        if not item_keys:
            return set()
        return set(await self.collection.distinct("item", {"item": {"$in": item_keys}, "state": {"$ne": "kept"}}))

    async def of_item(self, item_key: str, state: str | None = OPEN) -> list[dict]:
        query = {"item": item_key, **({"state": state} if state else {})}
        return await self.collection.find(query).sort([("updated_at", -1)]).to_list()

    async def queue(self, limit: int) -> list[dict]:
        """Items with open reports, most reported first: {_id: item key, kind, gist_id, comment_id,
        count, last (newest report's time)}."""
        cursor = await self.collection.aggregate([
            {"$match": {"state": OPEN}},
            {"$group": {"_id": "$item", "kind": {"$first": "$kind"}, "gist_id": {"$first": "$gist_id"},
                        "comment_id": {"$first": "$comment_id"}, "count": {"$sum": 1},
                        "last": {"$max": "$updated_at"}}},
            {"$sort": {"count": -1, "last": -1, "_id": 1}},
            {"$limit": limit},
        ])
        return await cursor.to_list()

    async def open_of(self, item_keys: list[str]) -> dict[str, list[dict]]:
        """Item key -> its open reports, newest first: one query for a queue page, not one an item."""
        found: dict[str, list[dict]] = {key: [] for key in item_keys}
        for report in await self.collection.find({"state": OPEN}).to_list():
            if report["item"] in found:
                found[report["item"]].append(report)
        for reports in found.values():
            reports.sort(key=lambda report: report["updated_at"], reverse=True)
        return found

    async def open_items(self) -> int:
        return len(await self.collection.distinct("item", {"state": OPEN}))

    async def close(self, item_key: str, outcome: str, now: datetime.datetime) -> int:
        """Close an item's open reports with the admin's outcome (kept, removed, banned); how many."""
        result = await self.collection.update_many({"item": item_key, "state": OPEN},
                                                   {"$set": {"state": outcome, "closed_at": now}})
        return result.modified_count
