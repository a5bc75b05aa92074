"""People reporting gists and comments; once their reports weigh `flags_to_hide` (services/trust.py),
the item is hidden pending review."""

import asyncio

from tornadogists.services.limits import client_network, enforce
from tornadogists.services.moderation import Item
from tornadogists.services.trust import tally
from tornadogists.services.visibility import REPORTS

REASONS = {"spam": "Spam", "abuse": "Abuse or harassment", "off-topic": "Off-topic", "other": "Something else"}
MAX_NOTE = 500
REPORTS_PER_HOUR = 30
QUEUE = 100


class InvalidReport(ValueError):
    """A report we refuse; str() is the message shown with the form."""


def check_report(reason: str, note: str) -> tuple[str, str]:
    if reason not in REASONS:
        raise InvalidReport("Choose why you report it: spam, abuse, off-topic or other.")
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise InvalidReport(f"The note is too long: {len(note):,} characters, at most {MAX_NOTE}.")
    return reason, note


class ReportService:
    def __init__(self, storage, moderation, trust, settings, clock):
        self.storage = storage
        self.moderation = moderation
        self.trust = trust
        self.settings = settings
        self.clock = clock

    async def item(self, gist_id: str, comment_id: str | None) -> Item | None:
        """The gist, or the comment of that gist, being reported; None when there is none."""
        if comment_id is None:
            return await self.moderation.item("gist", gist_id)
        item = await self.moderation.item("comment", comment_id)
        return item if item and item.gist_id == gist_id else None

    async def report(self, gist_id: str, comment_id: str | None, by: dict, reason: str, note: str,
                     ip: str) -> Item | None:
        """Record `by`'s report (a second one replaces the first); None for an unknown item.

        Raises InvalidReport or RateLimited. The item is hidden once its open reports weigh
        `flags_to_hide` (services/trust.py); a burst from new accounts of one network weighs nothing.
        """
        reason, note = check_report(reason, note)
        item = await self.item(gist_id, comment_id)
        if item is None:
            return None
        if item.author["id"] == by["_id"]:
            raise InvalidReport(f"This {item.kind} is yours: edit or delete it instead of reporting it.")
        await enforce(self.storage.rate_limits, f"report:{by['_id']}", REPORTS_PER_HOUR, 3600, self.clock(),
                      "You have sent many reports this hour; thank you. Please wait a while before the next.")
        standing = {**await self.trust.standing(by), "network": client_network(ip)}
        reports = await self.storage.reports.put(
            {"key": item.key, "kind": item.kind, "gist_id": item.gist_id,
             "comment_id": item.doc["_id"] if item.kind == "comment" else None},
            by, reason, note, standing, self.clock())
        weight, _ = tally(reports)
        if weight >= self.settings.flags_to_hide:
            await self.moderation.hide(item, REPORTS, None, f"reported by {len(reports)} people, weighing {weight:g}")
        return item

    async def queue(self) -> list[dict]:
        """Reported items, most reported first, each {item, count, reports}; items gone meanwhile are left out."""
        entries = []
        groups = await self.storage.reports.queue(QUEUE)
        items = await asyncio.gather(*(self.moderation.by_key(group["_id"]) for group in groups))
        open_reports = await self.storage.reports.open_of([group["_id"] for group in groups])
        for group, item in zip(groups, items):
            if item is None:   # deleted by its author meanwhile: nothing left to decide
                await self.storage.reports.close(group["_id"], "gone", self.clock())
                continue
            reports = open_reports[group["_id"]]
            weight, bursts = tally(reports)
            entries.append({"item": item, "count": group["count"], "reports": reports, "weight": weight,
                            "bursts": bursts})
        return entries

    async def keep(self, item: Item, by: dict, why: str) -> None:
        """The item is fine: its reports close and it is shown again (unless hidden for another reason)."""
        await self.storage.reports.close(item.key, "kept", self.clock())
        await self.moderation.unhide(item, REPORTS, by, why)
        await self.moderation.log("keep", item.target, by, why)

    async def removed(self, item: Item, outcome: str) -> None:
        """An admin banned the item's author: its reports close with that outcome."""
        await self.storage.reports.close(item.key, outcome, self.clock())
