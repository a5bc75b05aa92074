"""A gist's own GitHub comments (issue 11): brought on submit and every refresh, shown with ours, read-only."""

import re

import pytest
from tornado.escape import xhtml_escape

from tests.client import Client
from tests.discussion import HELLO, comment, post, submit
from tests.html_checks import active_content
from tests.test_revisions import refresh

GIST_ON_GITHUB = f"https://gist.github.com/octocat/{HELLO}"


def thread_order(page: str) -> list[str]:
    """The discussion's comments, top to bottom, as their first words."""
    discussion = page[page.index('id="discussion"'):]
    return [re.sub(r"<[^>]+>", "", body).strip()
            for body in re.findall(r'<div class="comment-body prose">(.*?)</div>', discussion, re.S)]


def comments_calls(fake_github) -> list:
    return fake_github.requests_to(f"/gists/{HELLO}/comments")


async def test_github_comments_arrive_on_submit_in_time_order_with_ours_marked_on_github(signed_in, fake_github, db):
    first = fake_github.add_comment(HELLO, "First **on GitHub**", login="hubot", at="2024-03-03T10:00:00Z")
    fake_github.add_comment(HELLO, "Second on GitHub", login="Octo-Cat", at="2024-03-04T10:00:00Z")
    await submit(signed_in)
    await comment(signed_in, "Ours, written today")
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert thread_order(page) == ["First on GitHub", "Second on GitHub", "Ours, written today"]
    assert "<strong>on GitHub</strong>" in page
    assert '<span class="count">3</span>' in page
    head = re.search(r'<header class="comment-head">.*?</header>', page, re.S).group(0)
    assert f'<img class="avatar" src="https://avatars.githubusercontent.com/u/{1000 + first["id"]}?v=4"' in head
    assert '<a class="author" href="https://github.com/hubot">hubot</a>' in head
    assert f'href="{GIST_ON_GITHUB}#gistcomment-{first["id"]}"' in head and ">on GitHub</a>" in head
    assert "/users/hubot" not in page and "/users/octo-cat" not in page
    [call] = comments_calls(fake_github)
    assert call.arguments["per_page"] == [b"100"] and call.arguments["page"] == [b"1"]
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 3


async def test_a_gist_without_github_comments_costs_no_call_for_them(signed_in, fake_github, db):
    await submit(signed_in)
    await refresh(signed_in, db)
    assert comments_calls(fake_github) == []


async def test_their_markdown_and_links_are_sanitised_like_ours(signed_in, fake_github):
    fake_github.add_comment(HELLO, "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
                            login="mallory", avatar_url="javascript:alert(1)")
    fake_github.add_comment(HELLO, "plain", login="eve", avatar_url="http://evil.example/eve.png")
    fake_github.comments[HELLO][1]["user"]["html_url"] = "https://evil.example/eve"
    await submit(signed_in)
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert active_content(page[page.index('id="discussion"'):]) == []
    assert "evil.example" not in page
    assert '<span class="author">eve</span>' in page   # no profile link off GitHub, no picture


async def test_every_page_is_read_and_asked_again_with_its_etag(signed_in, fake_github, db):
    for n in range(150):
        fake_github.add_comment(HELLO, f"comment number {n}", at=f"2024-03-03T10:{n // 60:02d}:{n % 60:02d}Z")
    await submit(signed_in)
    assert [call.arguments["page"] for call in comments_calls(fake_github)] == [[b"1"], [b"2"]]
    assert await db.comments.count_documents({"gist_id": HELLO}) == 150
    stored = {doc["_id"]: doc["updated_at"] for doc in await db.comments.find({"gist_id": HELLO}).to_list()}

    await refresh(signed_in, db)   # nothing changed: both pages answer 304
    again = comments_calls(fake_github)[2:]
    assert len(again) == 2 and all(call.headers.get("If-None-Match") for call in again)
    assert {doc["_id"]: doc["updated_at"] for doc in await db.comments.find({"gist_id": HELLO}).to_list()} == stored

    # An edit on page 2 leaves page 1's ETag as it was: page 1 is read again in full.
    fake_github.edit_comment(HELLO, fake_github.comments[HELLO][120]["id"], "number 120, *edited* on GitHub")
    await refresh(signed_in, db)
    assert [call.headers.get("If-None-Match") is None for call in comments_calls(fake_github)[4:]] == [False, False, True]
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert "number 120, <em>edited</em> on GitHub" in page and "comment number 149" in page
    assert '<span class="count">150</span>' in page


async def test_a_comment_deleted_on_github_is_gone_after_the_next_refresh(signed_in, fake_github, db):
    keep = fake_github.add_comment(HELLO, "I stay")
    gone = fake_github.add_comment(HELLO, "I go away")
    await submit(signed_in)
    assert "I go away" in (await signed_in.get(f"/gists/{HELLO}")).text
    fake_github.delete_comment(HELLO, gone["id"])
    await refresh(signed_in, db)
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert "I go away" not in page and "I stay" in page and '<span class="count">1</span>' in page
    fake_github.delete_comment(HELLO, keep["id"])
    calls = len(comments_calls(fake_github))
    await refresh(signed_in, db)   # GitHub's gist says 0 comments: none to ask for
    assert len(comments_calls(fake_github)) == calls
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert "I stay" not in page and "No comments yet." in page
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 0


async def test_github_comments_are_read_only_here(signed_in, fake_github, db):
    fake_github.add_comment(HELLO, "From GitHub")
    await submit(signed_in)
    ours = await comment(signed_in, "From here")
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    github_id = str((await db.comments.find_one({"github.id": {"$exists": True}}))["_id"])
    article = re.search(rf'id="comment-{github_id}".*?</article>', page, re.S).group(0)
    assert "Reply</summary>" not in article and "Edit</a>" not in article
    assert "Reply</summary>" in re.search(rf'id="comment-{ours}".*?</article>', page, re.S).group(0)
    reply = await post(signed_in, "a reply", parent=github_id)
    assert reply.code == 400 and "Comments from GitHub are read-only here" in reply.text
    assert (await signed_in.get(f"/gists/{HELLO}/comments/{github_id}/edit")).code in (403, 404)


async def test_github_comments_are_in_feeds_and_search(signed_in, fake_github, settings):
    fake_github.add_comment(HELLO, "Splendiferous handler", login="hubot")
    await submit(signed_in)
    anonymous = Client(settings.site_url)
    for path in ("/feeds/comments.atom", f"/gists/{HELLO}/comments.atom"):
        feed = (await anonymous.get(path)).text
        assert "hubot (on GitHub) on “Hello, Tornado”" in feed and "<uri>https://github.com/hubot</uri>" in feed
        assert "Splendiferous handler" in feed
    found = await anonymous.get("/search?q=splendiferous")
    assert found.code == 200 and f'href="/gists/{HELLO}#comment-' in found.text and "hubot" in found.text
    api = (await anonymous.get(f"/api/v1/gists/{HELLO}/comments")).json()
    [from_github] = [c for c in api if c["github"]]
    assert from_github["author"] is None and from_github["github"]["login"] == "hubot"
    assert from_github["github"]["comment_url"].startswith(f"{GIST_ON_GITHUB}#gistcomment-")
    anonymous.close()


@pytest.mark.parametrize("failure", [
    (500, {}, "oops"),
    (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"}, {"message": "API rate limit exceeded"}),
    (200, {}, {"not": "a list"}),
])
async def test_github_failing_on_comments_still_imports_the_gist(signed_in, fake_github, db, failure):
    fake_github.add_comment(HELLO, "Waiting on GitHub")
    fake_github.failures[f"{HELLO}/comments"] = failure
    response = await signed_in.post("/gists", {"url": HELLO})
    assert response.code == 303, response.text
    page = await signed_in.get(f"/gists/{HELLO}")
    assert page.code == 200 and "Waiting on GitHub" not in page.text and "No comments yet." in page.text
    if failure[0] != 403:   # GitHub said we are limited: we do not ask again before its reset
        del fake_github.failures[f"{HELLO}/comments"]
        await refresh(signed_in, db)
        assert "Waiting on GitHub" in (await signed_in.get(f"/gists/{HELLO}")).text
    assert xhtml_escape("Hello, Tornado") in page.text
