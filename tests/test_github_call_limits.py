"""Whatever makes us call GitHub is throttled: refreshing a gist, coming back from GitHub's sign-in."""

import asyncio
import copy
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.discussion import HELLO, person, submit  # noqa: F401 - a fixture


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)   # GitHub sign-in on


async def test_refreshing_a_gist_100_times_calls_github_at_most_once_a_minute(signed_in, person, fake_github):
    await submit(signed_in)
    bob = await person("bob@example.com")
    calls = len(fake_github.requests_to(f"/gists/{HELLO}"))
    # Two people taking turns: the limit is the gist's, whoever asks.
    answers = [await who.post(f"/gists/{HELLO}/refresh") for _ in range(50) for who in (signed_in, bob)]
    assert answers[0].code == 303
    refused = [a for a in answers if a.code == 429]
    # Fixed one-minute windows: a run that straddles a minute's end may get one more through.
    assert len(refused) >= 98 and len(refused) + sum(a.code == 303 for a in answers) == 100
    assert all("fetched from GitHub moments ago" in a.text for a in refused)
    assert len(fake_github.requests_to(f"/gists/{HELLO}")) - calls <= 2


async def test_a_person_refreshing_many_gists_is_stopped_after_twenty_an_hour(signed_in, fake_github, db):
    ids = [f"{n:020x}" for n in range(1, 22)]
    for gist_id in ids:
        fake_github.add_gist({**copy.deepcopy(fake_github.gists[HELLO]), "id": gist_id})
        await submit(signed_in, gist_id)
    await db.rate_limits.delete_many({})   # the submissions' own hourly allowance
    calls = len(fake_github.requests)
    answers = await asyncio.gather(*[signed_in.post(f"/gists/{gist_id}/refresh") for gist_id in ids])
    assert sorted(a.code for a in answers) == [303] * 20 + [429]
    refused = next(a for a in answers if a.code == 429)
    assert "refreshed many gists this hour" in refused.text and "Traceback" not in refused.text
    assert len(fake_github.requests) - calls == 20


async def test_refreshing_an_unknown_gist_is_404_and_asks_github_nothing(signed_in, fake_github):
    calls = len(fake_github.requests)
    response = await signed_in.post("/gists/0123456789abcdef0123/refresh")
    assert response.code == 404
    assert len(fake_github.requests) == calls


async def test_returns_from_github_sign_in_are_capped_per_network(client, fake_github):
    """A made-up code still costs a token exchange with GitHub: 30 an hour from one network."""
    answers = []
    for _ in range(31):
        start = await client.get("/auth/github")
        [state] = parse_qs(urlsplit(start.location).query)["state"]
        answers.append(await client.get(f"/auth/github/callback?state={state}&code=made-up"))
    assert [a.code for a in answers] == [400] * 30 + [429]
    assert "Too many GitHub sign-ins" in answers[-1].text and "Sign in with GitHub" in answers[-1].text
    assert len(fake_github.requests_to("/login/oauth/access_token")) == 30
