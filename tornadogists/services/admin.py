"""What the admin area shows: the dashboard, people, held items, one gist's moderation, the log, banned hosts."""

import asyncio
import datetime

from tornadogists.services.moderation import Item
from tornadogists.services.spam import check_host
from tornadogists.services.visibility import HELD, REMOVED
from tornadogists.text.charts import daily_bars

CHART_DAYS = 30
PEOPLE = 50
HELD_ITEMS = 100
LOG_PER_PAGE = 50
MAX_QUERY = 100


def last_days(today: datetime.date, count: int) -> list[str]:
    """The `count` days up to `today`, oldest first, as YYYY-MM-DD."""
    return [(today - datetime.timedelta(days=n)).isoformat() for n in range(count - 1, -1, -1)]


class AdminService:
    def __init__(self, storage, github, health, clock, cache):
        self.storage = storage
        self.github = github
        self.health = health   # Services.health: what /healthz says of the database
        self.clock = clock
        self.cache = cache   # services/cache.py TTLCache: a few seconds

    async def dashboard(self) -> dict:
        """Counts, GitHub's allowance, the database's health and the chart, kept a few seconds: its 70
        queries held the embedded database for 2 s a view when a few admins looked at once (issue 17).
        A write to gists in this process (most moderation acts) shows at once, any other within seconds."""
        return await self.cache.get("admin-dashboard", self._dashboard, self.storage.gists.writes)

    async def _dashboard(self) -> dict:
        """The queries run at once."""
        now = self.clock()
        days = last_days(now.date(), CHART_DAYS)
        since = datetime.datetime.fromisoformat(days[0]).replace(tzinfo=datetime.UTC)
        stats = self.storage.stats
        counts, reports, per_day, github, health = await asyncio.gather(
            stats.counts(HELD, REMOVED), self.storage.reports.open_items(), stats.per_day(since, CHART_DAYS),
            self.github.allowance(), self.health())
        series = {"Comments": [per_day["comments"].get(d, 0) for d in days],
                  "Sign-ups": [per_day["signups"].get(d, 0) for d in days]}
        chart = daily_bars(f"Comments and sign-ups per day, the last {CHART_DAYS} days", days, series)
        return {**counts, "reports": reports, "github": github, "database": health, "chart": chart,
                "days": list(zip(days, *series.values()))}

    async def people(self, text: str) -> list[dict]:
        return await self.storage.users.search(text.strip()[:MAX_QUERY], PEOPLE)

    async def person(self, user_id) -> dict | None:
        return await self.storage.users.get(user_id)

    async def held(self) -> list[dict]:
        """Held gists and comments, oldest first, each with why the spam score held it."""
        items = [Item("gist", doc) for doc in await self.storage.gists.hidden_for(HELD, HELD_ITEMS)]
        items += [Item("comment", doc) for doc in await self.storage.comments.hidden_for(HELD, HELD_ITEMS)]
        held = []
        for item in items:
            why = [entry["reason"] for entry in await self.storage.moderation_log.about(item.id, 5)
                   if entry["action"] == "hold"]
            held.append({"item": item, "why": why[0] if why else ""})
        return held

    async def gist(self, gist_id: str) -> dict | None:
        """A gist as moderators see it (a removed one too), its reports and its log."""
        gist = await self.storage.gists.meta(gist_id)
        if gist is None:
            return None
        reports = await self.storage.reports.of_item(f"gist:{gist_id}", state=None)
        return {"gist": gist, "reports": reports, "log": await self.storage.moderation_log.about(gist_id)}

    async def log(self, page: int) -> tuple[list[dict], bool]:
        entries = await self.storage.moderation_log.page(page, LOG_PER_PAGE)
        return entries[:LOG_PER_PAGE], len(entries) > LOG_PER_PAGE

    async def hosts(self) -> list[dict]:
        return await self.storage.banned_hosts.all()

    async def ban_host(self, text: str, by: dict, why: str) -> str:
        """Raises InvalidHost. Links to the host (or under it) hold new comments and intros from now on."""
        host = check_host(text)
        await self.storage.banned_hosts.add(host, by, why, self.clock())
        await self.storage.moderation_log.add("ban-host", {"kind": "host", "id": host, "label": host}, by, why,
                                              self.clock())
        return host

    async def unban_host(self, host: str, by: dict, why: str) -> bool:
        if not await self.storage.banned_hosts.remove(host):
            return False
        await self.storage.moderation_log.add("unban-host", {"kind": "host", "id": host, "label": host}, by, why,
                                              self.clock())
        return True
