"""Importing one's own public gists at once (issue 20): GitHub's list, ticked gists, the allowance kept."""

import asyncio
import re

import pytest

from tests.conftest import HELLO_GIST, sign_in, sign_in_with_github
from tornadogists.github import GitHubClient

UNICODE = "bb6b426e72bf0549c29e"   # mona's, not octocat's


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)   # GitHub sign-in on


def listed_ids(page_text: str) -> list[str]:
    return re.findall(r'name="gist" value="([0-9a-f]+)"', page_text)


def list_requests(fake_github) -> list:
    return fake_github.requests_to("/users/octocat/gists")


async def finished(client, timeout: float = 20) -> str:
    """The progress page once the import stopped (finished or paused)."""
    for _ in range(int(timeout * 10)):
        page = await client.get("/import/progress")
        if "data-import-running" not in page.text:
            return page.text
        await asyncio.sleep(0.1)
    raise AssertionError("the import is still running")


async def test_githubs_list_is_read_page_by_page_with_its_etags(fake_github):
    fake_github.add_user_gists("octocat", 150)
    client = GitHubClient(fake_github.base_url)

    first = await client.fetch_user_gists("octocat")
    assert len(first.gists) == 151 and first.complete and len(first.etags) == 2
    assert [r.query for r in list_requests(fake_github)] == ["per_page=100&page=1", "per_page=100&page=2"]
    assert HELLO_GIST in {gist["id"] for gist in first.gists}
    assert {"id", "description", "files", "languages", "html_url"} <= first.gists[0].keys()

    assert await client.fetch_user_gists("octocat", first.etags) is None   # both pages answer 304
    assert [r.headers["If-None-Match"] for r in list_requests(fake_github)[2:]] == first.etags

    fake_github.add_user_gists("octocat", 151)   # one more: page 2 changes
    again = await client.fetch_user_gists("octocat", first.etags)
    assert len(again.gists) == 152


async def test_a_private_gist_or_a_mistyped_item_is_left_out_of_the_list(fake_github):
    [private] = fake_github.add_user_gists("octocat", 1, public=False)
    client = GitHubClient(fake_github.base_url)
    assert private not in {gist["id"] for gist in (await client.fetch_user_gists("octocat")).gists}

    fake_github.failures["users/octocat/gists"] = (200, {}, [
        3, {"id": "../../x", "public": True, "files": {}}, {"id": HELLO_GIST, "public": "yes", "files": {}},
        {"id": HELLO_GIST, "public": True, "description": 9, "html_url": "javascript:alert(1)",
         "files": {"a.py": {"language": 7}, "b.py": "junk"}, "comments": True}])
    [gist] = (await client.fetch_user_gists("octocat")).gists
    assert gist == {"id": HELLO_GIST, "description": "", "html_url": None, "files": ["a.py"], "languages": [],
                    "created_at": None, "updated_at": None, "comments": 0}


async def test_the_import_page_lists_every_public_gist_across_pages(client, fake_github):
    fake_github.add_user_gists("octocat", 150)
    await sign_in_with_github(client)

    page = await client.get("/import")
    assert page.code == 200, page.text
    ids = listed_ids(page.text)
    assert len(ids) == 151 and HELLO_GIST in ids and UNICODE not in ids
    assert len(list_requests(fake_github)) == 2
    await client.get("/import")   # within a minute: the list as it was, GitHub not asked
    assert len(list_requests(fake_github)) == 2


async def test_ticked_gists_are_imported_in_the_background(client, fake_github, db):
    ids = fake_github.add_user_gists("octocat", 5)
    await sign_in_with_github(client)
    await client.get("/import")

    started = await client.post("/import", {"gist": ids[:2]})
    assert started.code == 303 and started.location.endswith("/import/progress")
    text = await finished(client)
    assert "Import finished" in text and "2 of 2: 2 imported, 0 already here" in text
    stored = await db.gists.find({"gist_id": {"$in": ids}}).to_list()
    assert sorted(g["gist_id"] for g in stored) == sorted(ids[:2])
    person = await db.users.find_one({"github.login": "octocat"})
    assert {g["submitter"]["id"] for g in stored} == {person["_id"]}
    assert (await client.get(f"/gists/{ids[0]}")).code == 200


async def test_importing_again_skips_what_is_here_without_asking_github(client, fake_github, db):
    ids = fake_github.add_user_gists("octocat", 2)
    await sign_in_with_github(client)
    await client.get("/import")
    await client.post("/import", {"gist": [HELLO_GIST]})
    await finished(client)
    fetches = len(fake_github.requests_to(f"/gists/{HELLO_GIST}"))

    page = await client.get("/import")
    assert re.search(rf'value="{HELLO_GIST}" id="gist-{HELLO_GIST}" disabled', page.text)
    assert "Import all 2 not here yet" in page.text
    await client.post("/import", {"all": "1"})
    text = await finished(client)
    assert "3 of 3: 2 imported, 1 already here" in text
    assert len(fake_github.requests_to(f"/gists/{HELLO_GIST}")) == fetches
    assert await db.gists.count_documents({"gist_id": {"$in": [HELLO_GIST, *ids]}}) == 3


async def test_an_import_stops_when_githubs_allowance_is_low_and_goes_on_when_it_is_renewed(client, fake_github, db):
    ids = fake_github.add_user_gists("octocat", 3)
    fake_github.rate_remaining = 3   # of 60: under the reserve of 10% kept for submissions
    await sign_in_with_github(client)
    await client.get("/import")

    await client.post("/import", {"all": "1"})
    text = await finished(client)
    assert "Import paused" in text and "nearly spent" in text and "0 of 4" in text
    assert not any(fake_github.requests_to(f"/gists/{gist_id}") for gist_id in ids)
    assert "Try to go on now" in text

    fake_github.rate_remaining = 59   # renewed; going on asks GitHub (GET /rate_limit, free) first
    resumed = await client.post("/import/progress")
    assert resumed.code == 303
    text = await finished(client)
    assert "Import finished" in text and "4 of 4: 4 imported" in text
    assert fake_github.requests_to("/rate_limit")
    assert await db.gists.count_documents({"gist_id": {"$in": ids}}) == 3


async def test_a_run_whose_process_stopped_is_taken_up_by_the_next_look_at_its_page(client, fake_github, db):
    ids = fake_github.add_user_gists("octocat", 2)
    await sign_in_with_github(client)
    await client.get("/import")
    # What a process leaves when it stops right after starting an import: the job, no run, no lease.
    job = {"ids": ids, "results": [], "state": "running", "note": "", "resume_at": None, "started_at": None}
    await db.gist_imports.update_one({"login": "octocat"}, {"$set": {"job": job}})

    assert "2 of 2: 2 imported" in await finished(client)
    assert await db.gists.count_documents({"gist_id": {"$in": ids}}) == 2


async def test_signed_out_the_import_page_sends_to_sign_in(client):
    page = await client.get("/import")
    assert page.code == 302 and "/login?next=%2Fimport" in page.location
    assert (await client.get("/import/progress")).code == 302
    assert (await client.post("/import", {"all": "1"})).code == 403


async def test_without_github_linked_the_page_says_how_to_link_it(client, outbox, fake_github):
    await sign_in(client, outbox)
    page = await client.get("/import")
    assert page.code == 403 and "Sign in with GitHub (or link GitHub" in page.text
    posted = await client.post("/import", {"all": "1"})
    assert posted.code == 403 and "link GitHub" in posted.text
    assert not list_requests(fake_github)


async def test_choices_the_form_cannot_make_are_a_400(client, fake_github):
    await sign_in_with_github(client)
    before_listing = await client.post("/import", {"gist": [HELLO_GIST]})
    assert before_listing.code == 400 and "reload it" in before_listing.text
    await client.get("/import")
    for form, message in [({}, "Tick at least one gist"),
                          ({"gist": [UNICODE]}, "Only gists of yours"),   # someone else's
                          ({"gist": ["../../rate_limit"]}, "Only gists of yours"),
                          ({"gist": [HELLO_GIST, "x" * 5000]}, "Only gists of yours")]:
        answer = await client.post("/import", form)
        assert answer.code == 400 and message in answer.text, (form, answer.text)
    assert not fake_github.requests_to("/gists/")


async def test_a_second_import_while_one_runs_is_a_409(client, fake_github):
    fake_github.add_user_gists("octocat", 2)
    await sign_in_with_github(client)
    await client.get("/import")
    fake_github.delay = 0.5   # the first gist's fetch is still in flight
    assert (await client.post("/import", {"all": "1"})).code == 303
    again = await client.post("/import", {"all": "1"})
    assert again.code == 409 and "still running" in again.text
    fake_github.delay = 0
    assert "3 of 3: 3 imported" in await finished(client)


async def test_starting_imports_is_limited_like_other_writes(client, fake_github):
    await sign_in_with_github(client)
    await client.get("/import")
    for _ in range(10):   # IMPORTS_PER_HOUR
        assert (await client.post("/import", {"gist": [HELLO_GIST]})).code == 303
        await finished(client)
    answer = await client.post("/import", {"gist": [HELLO_GIST]})
    assert answer.code == 429 and "many imports this hour" in answer.text


async def test_a_github_account_gone_says_so(client, fake_github):
    await sign_in_with_github(client)
    fake_github.failures["users/octocat/gists"] = (404, {}, {"message": "Not Found"})
    page = await client.get("/import")
    assert page.code == 404 and "GitHub knows no account octocat" in page.text
