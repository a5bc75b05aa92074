"""Submitting gists, their pages, raw files, and every way GitHub can fail."""

import asyncio
import datetime
import time
import json
from urllib.parse import quote

import pytest
from tornado.escape import xhtml_escape

from tests.code_lines import lines_of
from tests.html_checks import active_content

HELLO = "aa5a315d61ae9438b18d"
UNICODE = "bb6b426e72bf0549c29e"
XSS = "cc7c537f83c0650ad3af"
RESET = int(time.time()) + 600
RESET_CLOCK = datetime.datetime.fromtimestamp(RESET, datetime.UTC).strftime("%H:%M")


async def submit(client, url, **fields):
    return await client.post("/gists", {"url": url, **fields})


async def test_submitting_requires_sign_in(client):
    response = await client.get("/gists/new")
    assert response.code == 302
    assert response.location == "/login?next=%2Fgists%2Fnew"
    response = await submit(client, HELLO)
    assert response.code == 403 or response.location.startswith("/login")


async def test_a_gist_is_imported_and_shown_highlighted(signed_in, fake_github, db):
    response = await submit(signed_in, f"https://gist.github.com/octocat/{HELLO}", tags="Python, tornado",
                            intro="A **tiny** example")
    assert response.code == 303
    assert response.location == f"/gists/{HELLO}"
    stored = await db.gists.find_one({"gist_id": HELLO})
    assert stored["description"] == "Hello, Tornado"
    assert stored["owner"]["login"] == "octocat"
    assert stored["revision"] == "6b70e7101e1428c3638807953026f95e7705de01"
    assert stored["tags"] == ["python", "tornado"]
    assert stored["submitter"]["handle"] == "ada"
    assert stored["etag"] and stored["fetched_at"]
    files = (await db.gist_files.find_one({"_id": HELLO}))["files"]
    assert [f["name"] for f in files] == ["README.md", "hello.py"]
    assert "files" not in stored  # listings never load file contents
    page = await signed_in.get(f"/gists/{HELLO}")
    assert page.code == 200
    assert "Hello, Tornado" in page.text
    assert "<i class=k>def</i>" in page.text
    first = lines_of(page.text, 2)[0]
    assert (first["id"], first["href"]) == ("file-2-L1", "#file-2-L1")
    assert "<strong>tiny</strong>" in page.text
    assert "<h1" in page.text and "Source" in page.text  # README.md rendered, its source available
    request = fake_github.requests_to(f"/gists/{HELLO}")[0]
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"


async def test_the_home_page_lists_the_newest_gists(signed_in):
    await submit(signed_in, HELLO)
    await submit(signed_in, UNICODE)
    home = await signed_in.get("/")
    assert home.text.index(UNICODE) < home.text.index(HELLO)
    assert "2 files" in home.text and "Python" in home.text and "submitted by" in home.text


async def test_the_home_page_paginates_by_twenty(signed_in, fake_github):
    base = fake_github.gists[HELLO]
    for n in range(21):
        fake_github.add_gist({**base, "id": f"{n:020x}", "description": f"gist number {n}"})
        assert (await submit(signed_in, f"{n:020x}")).code == 303
    first = await signed_in.get("/")
    assert first.text.count('class="card"') == 20 and "gist number 0<" not in first.text
    assert 'rel="next"' in first.text
    second = await signed_in.get("/?page=2")
    assert second.text.count('class="card"') == 1 and "gist number 0<" in second.text
    assert (await signed_in.get("/?page=abc")).code == 400
    assert (await signed_in.get("/?page=0")).code == 400


async def test_resubmitting_a_gist_redirects_to_the_existing_page(signed_in, fake_github, db):
    first = await submit(signed_in, HELLO)
    again = await submit(signed_in, f"https://gist.github.com/{HELLO}.git")
    assert first.location == again.location == f"/gists/{HELLO}"
    assert await db.gists.count_documents({"gist_id": HELLO}) == 1
    assert len(fake_github.requests_to(f"/gists/{HELLO}")) == 1


async def test_a_pasted_raw_url_with_a_revision_opens_that_revision(signed_in, fake_github):
    sha = fake_github.commit(HELLO, {"hello.py": "print('v2')\n"})
    raw = f"gist.githubusercontent.com/octocat/{HELLO}/raw/{sha}/hello.py"
    response = await submit(signed_in, raw)
    assert response.code == 303
    assert response.location == f"/gists/{HELLO}/revisions/{sha}"
    assert (await signed_in.get(response.location)).code == 200
    embed = await submit(signed_in, f'<script src="https://gist.github.com/octocat/{HELLO}.js"></script>')
    assert embed.location == f"/gists/{HELLO}"


async def test_two_submissions_at_once_store_one_gist(signed_in, db):
    responses = await asyncio.gather(*(submit(signed_in, HELLO) for _ in range(5)))
    assert {r.code for r in responses} == {303}
    assert await db.gists.count_documents({"gist_id": HELLO}) == 1


@pytest.mark.parametrize("url", ["", "https://github.com/octocat/hello", "gist:123<script>", "x" * 500])
async def test_a_bad_url_is_a_400_with_the_input_kept(signed_in, url, db):
    response = await submit(signed_in, url)
    assert response.code == 400
    assert "Paste a gist URL" in response.text
    assert "<script>" not in response.text
    if url:
        assert f'value="{xhtml_escape(url)}"' in response.text
    assert await db.gists.count_documents({}) == 0


@pytest.mark.parametrize("tags, message", [
    ("python, not a tag", "not a tag"), ("a,b,c,d,e,f,g,h,i", "At most 8 tags"), ("x" * 31, "x" * 31),
])
async def test_bad_tags_are_a_400_naming_the_tag(signed_in, tags, message, db):
    response = await submit(signed_in, HELLO, tags=tags, intro="kept intro")
    assert response.code == 400
    assert message in response.text and "kept intro" in response.text
    assert await db.gists.count_documents({}) == 0


async def test_an_overlong_intro_is_a_400(signed_in):
    response = await submit(signed_in, HELLO, intro="x" * 20_001)
    assert response.code == 400 and "too long" in response.text


@pytest.mark.parametrize("failure, status, message", [
    (None, 404, "No such public gist"),
    ((403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET)}, {"message": "API rate limit exceeded"}),
     429, f"rate limit is reached, try again after {RESET_CLOCK} UTC"),
    ((429, {"retry-after": "60"}, {"message": "secondary rate limit"}), 429, "rate limit is reached"),
    ((500, {}, {"message": "Server Error"}), 502, "GitHub is unreachable"),
    ((200, {"Content-Type": "application/json"}, "{not json"), 502, "GitHub is unreachable"),
], ids=["not-found", "rate-limited", "secondary-limit", "server-error", "not-json"])   # not the time: each
# xdist worker imports this module apart, and one a minute later collected another test name
async def test_github_failures_are_clear_messages(signed_in, fake_github, failure, status, message, db):
    gist_id = "deadbeefdeadbeefdead"
    if failure:
        fake_github.failures[gist_id] = failure
    response = await submit(signed_in, gist_id)
    assert response.code == status
    assert message in response.text
    assert f'value="{gist_id}"' in response.text
    assert await db.gists.count_documents({}) == 0


async def test_unicode_names_truncated_and_binary_files(signed_in, fake_github):
    await submit(signed_in, UNICODE)
    page = await signed_in.get(f"/gists/{UNICODE}")
    assert "héllo wörld.py" in page.text and "日本語.txt" in page.text
    assert "This file is binary" in page.text
    full = fake_github.gists[UNICODE]["files"]["big.js"]["_full_content"]
    raw = await signed_in.get(f"/gists/{UNICODE}/raw/big.js")
    assert raw.body == full.encode()
    lines = lines_of(page.text, 1)
    assert [line["id"] for line in lines] == [f"file-1-L{i}" for i in range(1, len(full.splitlines()) + 1)]
    assert lines[-1]["text"] == full.splitlines()[-1]


async def test_raw_serves_the_exact_bytes_as_plain_text(signed_in, fake_github):
    await submit(signed_in, UNICODE)
    name = "héllo wörld.py"
    raw = await signed_in.get(f"/gists/{UNICODE}/raw/{quote(name)}")
    assert raw.code == 200
    assert raw.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    assert raw.body == fake_github.gists[UNICODE]["files"][name]["content"].encode()
    assert (await signed_in.get(f"/gists/{UNICODE}/raw/nope.py")).code == 404
    assert (await signed_in.get(f"/gists/{UNICODE}/raw/pixel.png")).code == 404


async def test_html_in_descriptions_file_names_content_and_intro_is_escaped(signed_in):
    await submit(signed_in, XSS, intro='<script>alert("intro")</script><img src=x onerror=alert(2)>')
    page = (await signed_in.get(f"/gists/{XSS}")).text
    home = (await signed_in.get("/")).text
    for html in (page, home):
        assert active_content(html) == []
    assert "&lt;script&gt;alert(&quot;desc&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.html" in page
    assert "&lt;/" in page and "code" in page


async def test_unknown_gist_and_unknown_page_are_404s(client):
    for path in ("/gists/0123456789abcdef0123", "/nope", "/gists/0123456789abcdef0123/raw/a.py"):
        response = await client.get(path)
        assert response.code == 404
        assert "There is nothing here" in response.text
        assert "Traceback" not in response.text


async def test_refresh_uses_the_etag_and_marks_deleted_gists(signed_in, fake_github, db):
    await submit(signed_in, HELLO)
    assert (await signed_in.post(f"/gists/{HELLO}/refresh")).code == 303
    assert fake_github.requests_to(f"/gists/{HELLO}")[-1].headers["If-None-Match"]
    fake_github.gists[HELLO]["description"] = "Changed on GitHub"
    await db.rate_limits.delete_many({})   # a gist is fetched at most once a minute
    await signed_in.post(f"/gists/{HELLO}/refresh")
    assert (await db.gists.find_one({"gist_id": HELLO}))["description"] == "Changed on GitHub"
    del fake_github.gists[HELLO]
    await db.rate_limits.delete_many({})
    await signed_in.post(f"/gists/{HELLO}/refresh")
    page = await signed_in.get(f"/gists/{HELLO}")
    assert page.code == 200 and "deleted on GitHub" in page.text and "Changed on GitHub" in page.text


async def test_a_stale_gist_is_refreshed_in_the_background(signed_in, fake_github, db):
    await submit(signed_in, HELLO)
    await db.gists.update_one({"gist_id": HELLO}, {"$set": {"fetched_at": (await db.gists.find_one())["fetched_at"].replace(year=2000)}})
    fake_github.gists[HELLO]["description"] = "Fresh from GitHub"
    page = await signed_in.get(f"/gists/{HELLO}")
    assert "Hello, Tornado" in page.text  # the stored copy is served at once
    for _ in range(100):
        if (await db.gists.find_one())["description"] == "Fresh from GitHub":
            break
        await asyncio.sleep(0.05)
    assert (await db.gists.find_one())["description"] == "Fresh from GitHub"


async def test_healthz_reports_the_database(client):
    response = await client.get("/healthz")
    assert response.code == 200
    assert json.loads(response.body) == {"status": "ok", "database": "ok"}
