"""The read API under /api/v1: listings and their Link headers, a gist, its thread, people, tags, search,
ETags, CORS, JSON errors and the per-network allowance."""

import dataclasses
import re

import pytest

from tests.client import Client
from tests.crafted import days_ago, gist_id, make_comment, make_gist, make_user
from tests.discussion import HELLO, comment, submit

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def links(response) -> dict[str, str]:
    """rel -> URL of a Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("Link", ""))}


async def test_gists_are_listed_a_page_at_a_time_with_links_like_githubs(db, client, settings):
    ada = await make_user(db, "ada")
    for n in range(5):
        await make_gist(db, gist_id(n), ada, f"gist {n}", submitted_at=days_ago(10 - n), loves=n % 3)
    first = await client.get("/api/v1/gists?per_page=2")
    assert first.code == 200 and first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert [g["id"] for g in first.json()] == [gist_id(4), gist_id(3)]
    assert links(first) == {"next": f"{settings.site_url}/api/v1/gists?sort=latest&per_page=2&page=2"}
    last = await client.get("/api/v1/gists?per_page=2&page=3")
    assert [g["id"] for g in last.json()] == [gist_id(0)]
    assert set(links(last)) == {"first", "prev"} and links(last)["prev"].endswith("page=2")
    loved = (await client.get("/api/v1/gists?sort=loved&per_page=100")).json()
    assert [g["loves"] for g in loved] == [2, 1, 1, 0, 0]
    card = first.json()[0]
    assert card["url"] == f"{settings.site_url}/api/v1/gists/{gist_id(4)}"
    assert card["html_url"] == f"{settings.site_url}/gists/{gist_id(4)}"
    assert card["submitter"]["handle"] == "ada" and ISO_UTC.fullmatch(card["submitted_at"])


async def test_gists_with_a_tag_come_newest_first_and_other_sorts_are_refused(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, tags=["python"], submitted_at=days_ago(2))
    await make_gist(db, gist_id(2), ada, tags=["python", "web"], submitted_at=days_ago(1))
    await make_gist(db, gist_id(3), ada, tags=["go"])
    tagged = await client.get("/api/v1/gists?tag=python")
    assert [g["id"] for g in tagged.json()] == [gist_id(2), gist_id(1)]
    assert (await client.get("/api/v1/gists?tag=nothing-here")).json() == []
    refused = await client.get("/api/v1/gists?tag=python&sort=loved")
    assert refused.code == 422 and "newest first" in refused.json()["error"]["message"]


async def test_a_gist_has_its_files_with_content_and_language_tags_and_loves(signed_in, client, db):
    await submit(signed_in)
    await signed_in.post(f"/gists/{HELLO}/love")
    await signed_in.post(f"/gists/{HELLO}/tags", {"tags": "python, demo"})
    gist = (await client.get(f"/api/v1/gists/{HELLO}")).json()
    assert gist["id"] == HELLO and gist["loves"] == 1 and gist["tags"] == ["python", "demo"]
    files = {f["name"]: f for f in gist["files"]}
    assert files["hello.py"]["language"] == "Python"
    assert files["hello.py"]["content"] == (await client.get(f"/gists/{HELLO}/raw/hello.py")).text
    assert files["hello.py"]["raw_url"].endswith(f"/gists/{HELLO}/raw/hello.py")
    assert "lines" not in files["hello.py"] and ISO_UTC.fullmatch(gist["fetched_at"])


async def test_a_thread_gives_markdown_sanitised_html_parents_lines_and_authors(signed_in, client):
    await submit(signed_in)
    first = await comment(signed_in, "Nice **handler** <script>alert(1)</script>")
    reply = await comment(signed_in, "Thanks", parent=first)
    on_line = await comment(signed_in, "This line", file="hello.py", line="3")
    thread = (await client.get(f"/api/v1/gists/{HELLO}/comments")).json()
    assert [c["id"] for c in thread] == [first, reply, on_line]
    top = thread[0]
    assert top["body"].startswith("Nice **handler** <script>")
    assert "<strong>handler</strong>" in top["html"] and "<script" not in top["html"]
    assert top["author"]["handle"] == "ada" and top["parent"] is None and top["revision"]
    assert thread[1]["parent"] == first
    assert (thread[2]["file"], thread[2]["line"], thread[2]["outdated"]) == ("hello.py", 3, False)
    assert thread[2]["html_url"].endswith(f"/gists/{HELLO}#comment-{on_line}")
    assert ISO_UTC.fullmatch(top["created_at"]) and ISO_UTC.fullmatch(top["updated_at"])


async def test_a_deleted_comment_stays_as_a_blank_placeholder_only_above_a_reply(signed_in, client):
    await submit(signed_in)
    parent = await comment(signed_in, "parent")
    await comment(signed_in, "reply", parent=parent)
    lone = await comment(signed_in, "alone")
    for cid in (parent, lone):
        await signed_in.post(f"/gists/{HELLO}/comments/{cid}/delete")
    thread = (await client.get(f"/api/v1/gists/{HELLO}/comments")).json()
    assert [(c["id"], c["deleted"]) for c in thread][0] == (parent, True)
    assert len(thread) == 2 and thread[0]["author"] is None and thread[0]["body"] == thread[0]["html"] == ""


async def test_a_person_is_shown_without_their_email_address(db, client):
    ada = await make_user(db, "ada", display_name="Ada L.", email="secret@example.com")
    await make_gist(db, gist_id(1), ada, "mine")
    response = await client.get("/api/v1/users/ada")
    assert "secret@example.com" not in response.text
    person = response.json()
    assert person["handle"] == "ada" and person["display_name"] == "Ada L."
    assert [g["id"] for g in person["gists"]] == [gist_id(1)] and person["more_gists"] is False
    assert person["avatar_url"].endswith("/avatars/ada.svg")
    assert (await client.get("/api/v1/users/nobody")).code == 404


async def test_tags_and_search(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "Websocket chat server", tags=["python", "web"])
    await make_gist(db, gist_id(2), ada, "Plain script", tags=["python"])
    await make_comment(db, gist_id(2), ada, "This mentions a websocket too")
    tags = (await client.get("/api/v1/tags")).json()
    assert [(t["tag"], t["count"]) for t in tags] == [("python", 2), ("web", 1)]
    assert tags[0]["gists_url"].endswith("/api/v1/gists?tag=python")
    found = (await client.get("/api/v1/search?q=websocket&per_page=1")).json()
    assert found["total_count"] == 2 and len(found["items"]) == 1
    both = (await client.get("/api/v1/search?q=websocket")).json()["items"]
    by_id = {item["gist"]["id"]: item for item in both}
    assert by_id[gist_id(2)]["comment_match"]["text"] == "This mentions a websocket too"
    assert {"text": "websocket", "match": True} in by_id[gist_id(2)]["comment_match"]["pieces"]
    paged = await client.get("/api/v1/search?q=websocket&per_page=1")
    assert links(paged)["last"].endswith("page=2") and links(paged)["next"].endswith("page=2")
    assert (await client.get("/api/v1/search?q=%20%20")).code == 400
    assert (await client.get("/api/v1/search")).json()["error"]["message"] == "“q” is required."


async def test_an_unchanged_answer_is_a_304_for_its_etag_and_a_change_makes_a_new_one(db, client, signed_in):
    await submit(signed_in)
    first = await client.get(f"/api/v1/gists/{HELLO}/comments")
    etag = first.headers["ETag"]
    again = await client.get(f"/api/v1/gists/{HELLO}/comments", headers={"If-None-Match": etag})
    assert again.code == 304 and again.body == b"" and again.headers["ETag"] == etag
    head = await client.request("HEAD", f"/api/v1/gists/{HELLO}/comments")
    assert head.code == 200 and head.body == b"" and head.headers["ETag"] == etag
    await comment(signed_in, "news")
    changed = await client.get(f"/api/v1/gists/{HELLO}/comments", headers={"If-None-Match": etag})
    assert changed.code == 200 and changed.headers["ETag"] != etag


async def test_reads_are_shared_with_any_origin_and_the_same_for_everyone(signed_in, settings):
    await submit(signed_in)
    answer = await signed_in.get(f"/api/v1/gists/{HELLO}", headers={"Origin": "https://blog.example"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-RateLimit-Remaining" in answer.headers["Access-Control-Expose-Headers"]
    assert answer.headers["Cache-Control"] == "no-cache"   # not "private": the session cookie is ignored
    client = Client(settings.site_url)
    assert answer.body == (await client.get(f"/api/v1/gists/{HELLO}")).body
    preflight = await client.request("OPTIONS", "/api/v1/gists", headers={
        "Origin": "https://blog.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.code == 204 and preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert preflight.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    assert "POST" in preflight.headers["Allow"]


@pytest.mark.parametrize("path, status, code", [
    ("/api/v1/nothing", 404, "not_found"),
    ("/api/v1", 404, "not_found"),
    ("/api/v1/gists/not-a-gist-id", 404, "not_found"),
    (f"/api/v1/gists/{'f' * 20}", 404, "not_found"),
    ("/api/v1/users/Not_A_Handle", 404, "not_found"),
    ("/api/v1/gists?per_page=101", 400, "invalid_parameter"),
    ("/api/v1/gists?per_page=0", 400, "invalid_parameter"),
    ("/api/v1/gists?page=abc", 400, "invalid_parameter"),
    ("/api/v1/gists?page=1_0", 400, "invalid_parameter"),
    ("/api/v1/gists?page=99999999999999999999", 400, "invalid_parameter"),
    ("/api/v1/gists?sort=oldest", 400, "invalid_parameter"),
    ("/api/v1/gists?tag=Not%20A%20Tag", 400, "invalid_parameter"),
    ("/api/v1/gists?tag=%FF", 400, "bad_request"),
    (f"/api/v1/search?q={'x' * 201}", 400, "invalid_parameter"),
])
async def test_errors_are_json_with_the_right_status(client, path, status, code):
    response = await client.get(path)
    assert response.code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert response.headers["X-RateLimit-Limit"]


async def test_an_unsupported_method_is_a_405_naming_the_allowed_ones(client):
    for method, path in [("DELETE", "/api/v1/gists"), ("PUT", f"/api/v1/gists/{HELLO}"), ("PATCH", "/api/v1/tags")]:
        response = await client.request(method, path, body=b"{}" if method != "DELETE" else None,
                                        allow_nonstandard_methods=True)
        assert response.code == 405 and response.json()["error"]["code"] == "method_not_allowed"
        assert "GET" in response.headers["Allow"] and method not in response.headers["Allow"]
    post = await client.request("POST", "/api/v1/tags", body=b"{}")
    assert post.code == 405 and post.headers["Allow"] == "GET, HEAD, OPTIONS"


async def test_a_bad_request_never_reaches_a_500(client):
    for path in ["/api/v1/gists?per_page=%00", "/api/v1/search?q=%22", "/api/v1/search?q=-", "/api/v1/search?q=--x",
                 "/api/v1/gists?page=-1", "/api/v1/search?q=" + "%22a" * 60]:
        response = await client.get(path)
        assert response.code < 500 and response.json(), (path, response.text)


class TestAllowance:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, api_rate_limit=3, api_rate_window_seconds=3600)

    async def test_each_network_has_an_allowance_told_in_headers_and_then_a_429(self, client, db):
        seen = [await client.get("/api/v1/tags") for _ in range(3)]
        assert [r.headers["X-RateLimit-Remaining"] for r in seen] == ["2", "1", "0"]
        assert {r.headers["X-RateLimit-Limit"] for r in seen} == {"3"}
        over = await client.get("/api/v1/gists")
        assert over.code == 429 and over.json()["error"]["code"] == "rate_limited"
        assert over.headers["X-RateLimit-Remaining"] == "0"
        assert int(over.headers["X-RateLimit-Reset"]) == int(seen[0].headers["X-RateLimit-Reset"])
        assert 0 < int(over.headers["Retry-After"]) <= 3600
        assert (await client.get("/healthz")).code == 200   # the HTML site is not counted
