"""GitHubClient against the fake GitHub on a real socket."""

import copy
import datetime
import socket

import pytest

from tornadogists.github import (
    GistNotFound,
    GitHubClient,
    GitHubUnreachable,
    RateLimited,
)

HELLO = "aa5a315d61ae9438b18d"
UNICODE = "bb6b426e72bf0549c29e"
XSS = "cc7c537f83c0650ad3af"
UNKNOWN = "0123456789abcdef0123"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime.datetime):
        self.now = now.timestamp()

    def __call__(self) -> float:
        return self.now


def client_for(fake, **options) -> GitHubClient:
    return GitHubClient(fake.base_url, **options)


async def test_a_gist_comes_back_as_githubs_json_with_its_etag(fake_github):
    response = await client_for(fake_github).fetch_gist(HELLO)

    assert response.data["description"] == "Hello, Tornado"
    assert response.data["owner"]["login"] == "octocat"
    assert sorted(response.data["files"]) == ["README.md", "hello.py"]
    assert "def make_app():" in response.data["files"]["hello.py"]["content"]
    assert response.etag and response.etag.startswith('W/"')


async def test_requests_carry_githubs_headers_and_the_token(fake_github):
    client = client_for(fake_github, token="s3cret", user_agent="TornadoGists-test")
    await client.fetch_gist(HELLO)

    [request] = fake_github.requests
    assert request.method == "GET"
    assert request.path == f"/gists/{HELLO}"
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert request.headers["User-Agent"] == "TornadoGists-test"
    assert request.headers["Authorization"] == "Bearer s3cret"
    assert "If-None-Match" not in request.headers


async def test_without_a_token_no_authorization_header_is_sent(fake_github):
    await client_for(fake_github).fetch_gist(HELLO)

    [request] = fake_github.requests
    assert "Authorization" not in request.headers
    assert request.headers["User-Agent"] == "TornadoGists"


async def test_an_unchanged_gist_answers_none_to_its_etag(fake_github):
    client = client_for(fake_github)
    first = await client.fetch_gist(HELLO)

    assert await client.fetch_gist(HELLO, etag=first.etag) is None
    assert fake_github.requests[-1].headers["If-None-Match"] == first.etag


async def test_a_changed_gist_comes_back_despite_an_old_etag(fake_github):
    client = client_for(fake_github)
    first = await client.fetch_gist(HELLO)
    fake_github.gists[HELLO]["description"] = "Hello again"

    second = await client.fetch_gist(HELLO, etag=first.etag)

    assert second.data["description"] == "Hello again"
    assert second.etag != first.etag


async def test_a_truncated_file_is_filled_from_its_raw_url(fake_github):
    client = client_for(fake_github, token="s3cret")
    response = await client.fetch_gist(UNICODE)

    big = response.data["files"]["big.js"]
    assert big["content"] == fake_github.gists[UNICODE]["files"]["big.js"]["_full_content"]
    assert big["content"].count("\n") == 2000
    assert big["truncated"] is False
    assert "too_large" not in big
    [raw] = fake_github.requests_to("/raw/")
    assert raw.path == f"/raw/{UNICODE}/big.js"
    # The token is for the API; raw files are public and need none.
    assert "Authorization" not in raw.headers


async def test_unicode_names_and_binary_files_come_through_untouched(fake_github):
    response = await client_for(fake_github).fetch_gist(UNICODE)

    files = response.data["files"]
    assert files["héllo wörld.py"]["content"].startswith("# -*- coding: utf-8 -*-")
    assert files["日本語.txt"]["content"] == "日本語のテキストです。\nこんにちは、世界！\n"
    assert files["pixel.png"]["type"] == "image/png"
    assert files["pixel.png"]["language"] is None
    assert files["pixel.png"]["encoding"] == "base64"
    # Only the truncated file cost a second request.
    assert len(fake_github.requests_to("/raw/")) == 1


async def test_raw_bytes_that_are_not_utf8_are_replaced_not_fatal(fake_github):
    gist = truncated_copy(fake_github, "ee0e759a050e872cf6bf")
    fake_github.add_gist(gist)
    fake_github.failures["ee0e759a050e872cf6bf/big.js"] = (200, {}, b"caf\xe9 ok")

    response = await client_for(fake_github).fetch_gist("ee0e759a050e872cf6bf")

    assert response.data["files"]["big.js"]["content"] == "caf\ufffd ok"


async def test_a_raw_url_on_another_host_is_never_fetched(fake_github):
    gist = truncated_copy(fake_github, "dd0d648a94e1a761f34c")
    # Same server under another name: a request would still show up in fake.requests.
    evil = fake_github.base_url.replace("127.0.0.1", "localhost")
    gist["files"]["big.js"]["raw_url"] = f"{evil}/raw/dd0d648a94e1a761f34c/big.js"
    fake_github.add_gist(gist)

    response = await client_for(fake_github).fetch_gist("dd0d648a94e1a761f34c")

    big = response.data["files"]["big.js"]
    assert big["raw_refused"] is True
    assert big["content"] == gist["files"]["big.js"]["content"]
    assert fake_github.requests_to("/raw/") == []


async def test_a_truncated_file_over_the_limit_is_marked_too_large_unfetched(fake_github):
    response = await client_for(fake_github, max_file_bytes=1000).fetch_gist(UNICODE)

    big = response.data["files"]["big.js"]
    assert big["too_large"] is True
    assert big["truncated"] is True
    assert big["content"] == fake_github.gists[UNICODE]["files"]["big.js"]["content"]
    assert fake_github.requests_to("/raw/") == []
    assert "too_large" not in response.data["files"]["日本語.txt"]


async def test_a_raw_body_longer_than_announced_is_cut_off_at_the_limit(fake_github):
    gist = truncated_copy(fake_github, "ff1f86ab7cd8e4a9b012")
    gist["files"]["big.js"]["size"] = 500  # GitHub says small; the raw body is 123 kB
    fake_github.add_gist(gist)

    response = await client_for(fake_github, max_file_bytes=1000).fetch_gist("ff1f86ab7cd8e4a9b012")

    big = response.data["files"]["big.js"]
    assert big["too_large"] is True
    assert big["content"] == gist["files"]["big.js"]["content"]
    assert len(fake_github.requests_to("/raw/")) == 1


async def test_an_untruncated_file_over_the_limit_is_marked_too_large(fake_github):
    response = await client_for(fake_github, max_file_bytes=300).fetch_gist(HELLO)

    files = response.data["files"]
    assert files["hello.py"]["too_large"] is True  # 410 bytes
    assert "too_large" not in files["README.md"]  # 177 bytes


async def test_a_failing_raw_url_makes_github_unreachable(fake_github):
    fake_github.failures[f"{UNICODE}/big.js"] = (503, {}, "Service Unavailable")

    with pytest.raises(GitHubUnreachable):
        await client_for(fake_github).fetch_gist(UNICODE)


async def test_xss_fixture_is_passed_through_verbatim(fake_github):
    # Escaping is the templates' and sanitiser's job; the client must not mangle data.
    response = await client_for(fake_github).fetch_gist(XSS)

    assert response.data["description"] == '<script>alert("desc")</script>'
    html = response.data["files"]["<img src=x onerror=alert(1)>.html"]
    assert '<script>alert("code")</script>' in html["content"]


async def test_an_unknown_gist_is_not_found(fake_github):
    with pytest.raises(GistNotFound) as caught:
        await client_for(fake_github).fetch_gist(UNKNOWN)

    assert caught.value.status == 404
    assert caught.value.user_message == "No such public gist on GitHub."


@pytest.mark.parametrize("gist_id", ["../user", "abc", "AA5A315D61AE9438B18D", "aa5a315d61ae9438b18d?x=1"])
async def test_a_malformed_id_is_not_found_without_asking_github(fake_github, gist_id):
    with pytest.raises(GistNotFound):
        await client_for(fake_github).fetch_gist(gist_id)

    assert fake_github.requests == []


async def test_an_exhausted_rate_limit_stops_all_calls_until_its_reset(fake_github):
    clock = Clock(datetime.datetime(2024, 5, 1, 13, 30, tzinfo=datetime.UTC))
    reset = datetime.datetime(2024, 5, 1, 14, 5, tzinfo=datetime.UTC)
    fake_github.failures[HELLO] = rate_limit_answer(reset)
    client = client_for(fake_github, clock=clock)

    with pytest.raises(RateLimited) as caught:
        await client.fetch_gist(HELLO)
    assert caught.value.status == 429
    assert caught.value.reset_at == reset
    assert caught.value.user_message == "GitHub's rate limit is reached, try again after 14:05 UTC."

    del fake_github.failures[HELLO]
    clock.now = reset.timestamp() - 1
    with pytest.raises(RateLimited):
        await client.fetch_gist(UNICODE)
    assert len(fake_github.requests) == 1

    clock.now = reset.timestamp() + 1
    response = await client.fetch_gist(HELLO)
    assert response.data["id"] == HELLO
    assert len(fake_github.requests) == 2


async def test_too_many_requests_with_retry_after_waits_that_long(fake_github):
    clock = Clock(datetime.datetime(2024, 5, 1, 9, 58, 30, tzinfo=datetime.UTC))
    fake_github.failures[HELLO] = (
        429,
        {"Retry-After": "120"},
        {"message": "You have exceeded a secondary rate limit.", "documentation_url": "x"},
    )

    with pytest.raises(RateLimited) as caught:
        await client_for(fake_github, clock=clock).fetch_gist(HELLO)

    assert caught.value.reset_at == datetime.datetime(2024, 5, 1, 10, 0, 30, tzinfo=datetime.UTC)
    assert caught.value.user_message.endswith("try again after 10:00 UTC.")


async def test_a_forbidden_answer_naming_a_secondary_rate_limit_waits_a_minute(fake_github):
    clock = Clock(datetime.datetime(2024, 5, 1, 9, 0, tzinfo=datetime.UTC))
    fake_github.failures[HELLO] = (
        403,
        {},
        {"message": "You have exceeded a secondary rate limit. Please wait.", "documentation_url": "x"},
    )

    with pytest.raises(RateLimited) as caught:
        await client_for(fake_github, clock=clock).fetch_gist(HELLO)

    assert caught.value.reset_at == datetime.datetime(2024, 5, 1, 9, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param((500, {}, {"message": "Server Error"}), id="500"),
        pytest.param((502, {"Content-Type": "text/html"}, "<h1>Unicorn!</h1>"), id="502-html"),
        pytest.param((403, {}, {"message": "Forbidden", "documentation_url": "x"}), id="403-plain"),
        pytest.param((200, {"Content-Type": "application/json"}, "{not json"), id="invalid-json"),
        pytest.param((200, {}, {"message": "a JSON object, not a gist"}), id="not-a-gist"),
        pytest.param((200, {}, [1, 2, 3]), id="json-list"),
    ],
)
async def test_broken_answers_make_github_unreachable(fake_github, answer):
    fake_github.failures[HELLO] = answer

    with pytest.raises(GitHubUnreachable) as caught:
        await client_for(fake_github).fetch_gist(HELLO)

    assert caught.value.status == 502
    assert caught.value.user_message == "GitHub is unreachable right now, try again later."


async def test_a_closed_port_makes_github_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens there any more: the connection is refused.

    with pytest.raises(GitHubUnreachable):
        await GitHubClient(f"http://127.0.0.1:{port}").fetch_gist(HELLO)


def truncated_copy(fake, gist_id: str) -> dict:
    """The unicode gist under another id, its raw_url following the new id."""
    gist = copy.deepcopy(fake.gists[UNICODE])
    gist["id"] = gist_id
    gist["files"]["big.js"]["raw_url"] = f"{fake.base_url}/raw/{gist_id}/big.js"
    return gist


def rate_limit_answer(reset: datetime.datetime) -> tuple:
    """GitHub's documented answer to an exhausted primary rate limit."""
    headers = {
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(reset.timestamp())),
        "X-RateLimit-Used": "60",
        "X-RateLimit-Resource": "core",
    }
    body = {
        "message": "API rate limit exceeded for 127.0.0.1.",
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    }
    return 403, headers, body
