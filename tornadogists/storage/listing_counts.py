"""How many public gists each listing holds, kept up to date by the writes that change it.

Numbered pages need a page count; counting 50,000 gists per view would cost more than the
page itself. Keys: "all", "tag:<tag>", "language:<language>", "submitter:<user id>".
The gists storage moves the counts in every write that changes a gist's tags, languages
or visibility (storage/gists.py); migration 0020 counted what was there.
"""

from collections import Counter

from pymongo import UpdateOne

from tornadogists.storage.lookups import starting_with


def listing_keys(gist: dict | None) -> set[str]:
    """The counts a gist adds one to: none while it is hidden (services/visibility.py)."""
    if not gist or gist.get("hidden"):
        return set()
    return {"all", *(f"tag:{tag}" for tag in gist.get("tags") or []),
            *(f"language:{language}" for language in gist.get("languages") or []),
            f"submitter:{gist['submitter']['id']}"}


class ListingCounts:
    def __init__(self, collection):
        self.collection = collection

    async def get(self, key: str) -> int:
        doc = await self.collection.find_one({"_id": key})
        return max(doc["count"], 0) if doc else 0

    async def languages(self) -> list[dict]:
        """Every language some public gist has a file in, with how many, most first."""
        return [{"language": name, "count": count} for name, count in await self._named("language")]

    async def tags(self) -> list[dict]:
        """Every tag some public gist carries, with how many, most first."""
        return [{"tag": name, "count": count} for name, count in await self._named("tag")]

    async def _named(self, kind: str) -> list[tuple[str, int]]:
        cursor = self.collection.find({"_id": starting_with(f"{kind}:"), "count": {"$gt": 0}})
        found = [(doc["_id"].removeprefix(f"{kind}:"), doc["count"]) for doc in await cursor.to_list()]
        return sorted(found, key=lambda row: (-row[1], row[0].lower()))

    async def move(self, before: dict | None, after: dict | None) -> None:
        """A gist went from `before` to `after` (None: absent): one less or one more where it changed."""
        old, new = listing_keys(before), listing_keys(after)
        await self._add({key: 1 for key in new - old} | {key: -1 for key in old - new})

    async def add_many(self, gists: list[dict], session=None) -> None:
        """New gists at once (bench/scale.py's seeding): one change a listing, not one a gist."""
        await self._add(Counter(key for gist in gists for key in listing_keys(gist)), session)

    async def _add(self, deltas: dict[str, int], session=None) -> None:
        changes = [UpdateOne({"_id": key}, {"$inc": {"count": delta}}, upsert=True) for key, delta in deltas.items()]
        if changes:
            await self.collection.bulk_write(changes, ordered=False, session=session)
