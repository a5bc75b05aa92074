"""Spending GitHub's allowance wisely (issue 11): one fetch of a gist in flight, a reserve kept for submissions."""

import asyncio
import datetime

from tests.client import Client
from tests.discussion import HELLO, submit
from tests.test_comment_live import second_site  # noqa: F401 - a fixture
from tests.test_revisions import refresh
from tornadogists.storage.leases import Leases

UNICODE = "bb6b426e72bf0549c29e"
NOW = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)


def seconds(n: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=n)


async def make_stale(db, gist_id: str = HELLO) -> None:
    await db.gists.update_one({"gist_id": gist_id}, {"$set": {"fetched_at": NOW.replace(year=2000)}})


def gist_fetches(fake_github, gist_id: str = HELLO) -> int:
    return sum(1 for r in fake_github.requests if r.path == f"/gists/{gist_id}")


async def wait_for(predicate, timeout: float = 5) -> bool:
    for _ in range(int(timeout * 20)):
        if await predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_gist_lease_holds_while_its_fetch_runs_even_past_a_minute(db):
    leases = Leases(db.rate_limits)
    token = await leases.take("fetch-gist:x", NOW, 600)
    assert token
    assert await leases.take("fetch-gist:x", NOW + seconds(1), 600) is None
    # A fixed one-minute window would have let a second fetch start here, the first still running.
    assert await leases.take("fetch-gist:x", NOW + seconds(90), 600) is None
    await leases.settle("fetch-gist:x", token, NOW + seconds(60))   # done after 90 s: free at once
    assert await leases.take("fetch-gist:x", NOW + seconds(91), 600)
    assert await leases.take("fetch-gist:y", NOW + seconds(91), 600)   # another gist's is its own


async def test_two_processes_refreshing_a_stale_gist_at_once_fetch_it_once(signed_in, settings, second_site,  # noqa: F811
                                                                         fake_github, db):
    await submit(signed_in)
    await make_stale(db)
    fake_github.delay = 0.5   # the first fetch is still in flight when the second process asks
    before = gist_fetches(fake_github)
    one, two = Client(settings.site_url), Client(second_site.settings.site_url)
    pages = await asyncio.gather(*(c.get(f"/gists/{HELLO}") for c in (one, two, one, two)))
    assert {p.code for p in pages} == {200}
    await asyncio.sleep(1.5)
    assert gist_fetches(fake_github) - before == 1
    one.close(), two.close()


async def test_background_refreshes_stop_under_the_reserve_but_submissions_go_on(signed_in, fake_github, db):
    fake_github.rate_remaining = 5   # of 60: under the default reserve of 10% (6)
    await submit(signed_in)          # a submission may spend the reserve
    await make_stale(db)
    fake_github.gists[HELLO]["description"] = "Changed on GitHub"
    before = gist_fetches(fake_github)
    assert (await signed_in.get(f"/gists/{HELLO}")).code == 200
    await asyncio.sleep(0.5)
    assert gist_fetches(fake_github) == before

    fake_github.rate_remaining = 59  # the allowance is renewed; the next call tells us so
    await submit(signed_in, UNICODE)
    assert (await signed_in.get(f"/gists/{HELLO}")).code == 200

    async def refreshed():
        return (await db.gists.find_one({"gist_id": HELLO}))["description"] == "Changed on GitHub"
    assert await wait_for(refreshed)


async def test_a_revision_never_fetched_waits_when_the_allowance_is_low(signed_in, fake_github, db):
    await submit(signed_in)
    second = fake_github.commit(HELLO, {"hello.py": "print(2)\n"})
    fake_github.commit(HELLO, {"hello.py": "print(3)\n"})
    fake_github.rate_remaining = 3
    await refresh(signed_in, db)
    response = await signed_in.get(f"/gists/{HELLO}/revisions/{second}")
    assert response.code == 503 and "kept for new submissions" in response.text
    assert fake_github.requests_to(f"/gists/{HELLO}/{second}") == []
    assert (await signed_in.get(f"/gists/{HELLO}")).code == 200


async def test_the_remaining_allowance_is_known_to_every_process(site, signed_in, second_site,  # noqa: F811
                                                                fake_github):
    unknown = await second_site.services.upstream.github_rate_limit()
    assert unknown == {"limit": None, "remaining": None, "reset": None}
    fake_github.rate_remaining = 42
    await submit(signed_in)
    for process in (second_site, site):   # the other process made no call, and knows too
        rate = await process.services.upstream.github_rate_limit()
        assert (rate["limit"], rate["remaining"]) == (60, 42)
        assert rate["reset"] > datetime.datetime.now(datetime.UTC)
