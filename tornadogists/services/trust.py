"""How much a report weighs: trust grows with the reporter's account age and published, unreported work.

A report weighs FLOOR for an account made today with nothing published, and 1 for one at least
FULL_AGE old with FULL_WORK published, unreported gists and comments (halfway between for half of
each). An item is hidden once the weights of its open reports add up to `flags_to_hide`. Reports
from new accounts (under NEW_ACCOUNT old) that come BURST or more from one network count nothing:
such a burst goes to the admins' queue, marked, without hiding anything.
"""

import collections
import datetime

FLOOR = 0.1
FULL_AGE = datetime.timedelta(days=30)
FULL_WORK = 5
NEW_ACCOUNT = datetime.timedelta(days=1)
BURST = 2


def weight(age: datetime.timedelta, work: int) -> float:
    standing = (min(age / FULL_AGE, 1) + min(work / FULL_WORK, 1)) / 2
    return round(FLOOR + (1 - FLOOR) * max(standing, 0), 2)


def tally(reports: list[dict]) -> tuple[float, set[str]]:
    """(the weight counted towards hiding, the networks whose burst of new accounts was set aside)."""
    per_network = collections.Counter(r.get("network") for r in reports if r.get("new"))
    bursts = {network for network, count in per_network.items() if count >= BURST}
    counted = sum(r.get("weight", 1) for r in reports if not (r.get("new") and r.get("network") in bursts))
    return round(counted, 2), bursts


class TrustService:
    def __init__(self, storage, clock):
        self.storage = storage
        self.clock = clock

    async def standing(self, user: dict) -> dict:
        """What a report by `user` carries: its weight, and whether the account is new (read fresh,
        not from the second-long session cache)."""
        user = await self.storage.users.get(user["_id"]) or user
        if user.get("is_admin"):
            return {"weight": 1.0, "new": False}
        age = self.clock() - user["created_at"]
        return {"weight": weight(age, await self.work(user["_id"])), "new": age < NEW_ACCOUNT}

    async def work(self, user_id) -> int:
        """Published gists and comments of the person nobody has reported, up to FULL_WORK."""
        look = FULL_WORK * 4   # a few reported ones among them still leave enough to count
        keys = [f"comment:{oid}" for oid in await self.storage.comments.public_ids_by_author(user_id, look)]
        keys += [f"gist:{gist_id}" for gist_id in await self.storage.gists.public_ids_by_submitter(user_id, look)]
        reported = await self.storage.reports.reported(keys)
        return min(len(set(keys) - reported), FULL_WORK)
