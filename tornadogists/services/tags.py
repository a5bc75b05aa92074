"""Tags after submission: editing them, the tag cloud, suggestions, a tag's gists."""

from tornadogists.services.discovery import Listing, counted_listing, digest_of, split
from tornadogists.services.limits import enforce
from tornadogists.text.tags import TAG, parse_tags

EDITS_PER_HOUR = 60
SUGGESTIONS = 10


class NotAllowed(Exception):
    """Only the submitter and admins may edit a gist's tags."""


def may_edit_tags(gist: dict, user: dict | None) -> bool:
    return bool(user) and (user.get("is_admin") or gist["submitter"]["id"] == user["_id"])


class TagService:
    def __init__(self, storage, cache, clock, per_page: int):
        self.storage = storage
        self.cache = cache
        self.clock = clock
        self.per_page = per_page

    async def edit(self, gist_id: str, user: dict, text: str) -> list[str] | None:
        """Replace a gist's tags; None for an unknown gist. Raises InvalidTags, NotAllowed, RateLimited."""
        gist = await self.storage.gists.get_card(gist_id)
        if gist is None:
            return None
        if not may_edit_tags(gist, user):
            raise NotAllowed("Only the person who submitted this gist, or an admin, may change its tags.")
        tags = parse_tags(text)
        await enforce(self.storage.rate_limits, f"tags:{user['_id']}", EDITS_PER_HOUR, 3600,
                      self.clock(), "You have changed many tags this hour; please wait a while.")
        await self.storage.gists.set_tags(gist_id, tags)
        return tags

    async def gist(self, gist_id: str) -> dict | None:
        """The card of a gist whose tags are being edited."""
        return await self.storage.gists.get_card(gist_id)

    async def cloud(self) -> list[dict]:
        """Every tag in use with its count, most used first (cached a few seconds)."""
        return (await self.cloud_and_digest())[0]

    async def cloud_and_digest(self) -> tuple[list[dict], str]:
        """The cloud and a digest of it taken when it was read: the page's content key (a repr of
        every tag on each view of `/tags` cost it two thirds of its time at 50,000 gists)."""
        async def compute():
            tags = await self.storage.gists.tag_counts()
            return tags, digest_of(tags)
        return await self.cache.get("tag-cloud", compute, self.storage.gists.writes)

    async def suggestions(self, prefix: str) -> list[str]:
        """Existing tags starting with `prefix`, most used first."""
        prefix = prefix.strip().lower()
        if not prefix or not TAG.fullmatch(prefix):
            return []
        return [t["tag"] for t in await self.cloud() if t["tag"].startswith(prefix)][:SUGGESTIONS]

    async def gists(self, tag: str, page: int, per_page: int | None = None) -> Listing | None:
        """A tag's gists, newest first, and its page count; None for a tag no gist carries.
        Raises PageNotFound."""
        if not TAG.fullmatch(tag):
            return None
        per_page = per_page or self.per_page
        listing = await counted_listing(self.storage, self.cache, ("tag", tag, page, per_page),
                                        lambda: split(self.storage.gists.tagged(tag, page, per_page), per_page),
                                        f"tag:{tag}", page, per_page)
        return listing if listing.items or page > 1 else None
