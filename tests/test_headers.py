"""Security headers on every kind of answer; HEAD wherever GET works."""

import dataclasses
import itertools
import re
from pathlib import Path

import pytest
import tornado.testing
import tornado.web

from tests.client import Client
from tests.conftest import sign_in
from tests.discussion import HELLO, comment, submit
from tornadogists.app import routes
from tornadogists.handlers.headers import security_headers
from tornadogists.server import Site

PRIVATE = "private, no-store"


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = (part.split() for part in response.headers["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


def assert_secured(response, private: bool) -> None:
    headers = response.headers
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert "https:" in csp["img-src"]   # GitHub avatars
    assert csp["connect-src"][0] == "'self'"
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers   # the test site is on http
    if private:
        assert headers["Cache-Control"] == PRIVATE
    else:
        assert "private" not in headers.get("Cache-Control", "")
        assert "no-store" not in headers.get("Cache-Control", "")


async def test_an_anonymous_page_is_secured_and_cacheable(client):
    response = await client.get("/")
    assert response.code == 200
    assert_secured(response, private=False)


async def test_the_sign_in_page_is_private_since_its_form_carries_this_browsers_token(client):
    response = await client.get("/login")
    assert response.code == 200
    assert_secured(response, private=True)


@pytest.mark.parametrize("path", ["/", "/account", f"/gists/{HELLO}", "/tags", "/search?q=hello"])
async def test_a_signed_in_page_is_secured_and_never_stored(signed_in, path):
    await submit(signed_in)
    response = await signed_in.get(path)
    assert response.code == 200, response.text
    assert_secured(response, private=True)


@pytest.mark.parametrize("path", ["/static/site.css", "/static/site.js?v=1", "/robots.txt"])
async def test_a_static_file_is_secured(client, path):
    response = await client.get(path)
    assert response.code == 200
    assert_secured(response, private=False)


@pytest.mark.parametrize("path", ["/no/such/page", "/gists/999999999999", "/static/no-such-file.css"])
async def test_an_error_page_is_secured(client, path):
    response = await client.get(path)
    assert response.code == 404
    assert_secured(response, private=False)


async def test_a_signed_in_error_page_is_never_stored(signed_in):
    response = await signed_in.get("/no/such/page")
    assert response.code == 404
    assert_secured(response, private=True)


async def test_a_server_error_page_is_secured(site, client):
    await site.client.close()
    response = await client.get("/")
    assert response.code in (500, 503)
    assert_secured(response, private=False)


async def test_a_feed_is_secured_and_stays_public_since_it_never_reads_the_session(signed_in):
    for c in (signed_in, Client(signed_in.base_url)):
        response = await c.get("/feeds/gists.atom")
        assert response.code == 200
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert_secured(response, private=False)


async def test_a_post_answer_to_a_signed_in_person_is_never_stored(signed_in):
    response = await signed_in.post("/gists", {"url": HELLO})
    assert response.code == 303
    assert_secured(response, private=True)


async def test_only_the_live_socket_of_the_site_itself_may_be_opened(client, settings):
    assert policy(await client.get("/"))["connect-src"] == ["'self'", settings.site_url.replace("http", "ws", 1)]


@pytest.fixture
async def https_client(site, settings):
    """A second server on the same database whose site_url is https (a proxy in front ends TLS)."""
    sock, port = tornado.testing.bind_unused_port()
    served = await Site(dataclasses.replace(settings, site_url="https://gists.example.org")).open()
    served.listen(sockets=[sock])
    c = Client(f"http://127.0.0.1:{port}")
    yield c
    c.close()
    await served.close()
    sock.close()


async def test_hsts_is_sent_only_when_the_site_is_served_over_https(client, https_client):
    assert "Strict-Transport-Security" not in (await client.get("/")).headers
    for path in ("/", "/static/site.css", "/no/such/page"):
        response = await https_client.get(path)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        csp = policy(response)
        assert csp["img-src"] == ["'self'", "https:"]
        assert csp["connect-src"] == ["'self'", "wss://gists.example.org"]


def test_an_embeddable_answer_names_its_own_frame_ancestors_and_drops_x_frame_options():
    """Embeds (later) set SecurityHeaders.frame_ancestors on their handler; DENY would contradict them."""
    headers = dict(security_headers("https://gists.example.org", "https:"))
    assert headers["Content-Security-Policy"].endswith("frame-ancestors https:")
    assert "X-Frame-Options" not in headers
    assert dict(security_headers("https://gists.example.org", "'self'"))["X-Frame-Options"] == "SAMEORIGIN"


def test_no_template_has_inline_script_style_or_event_handlers():
    """The policy allows none of them; the browser tests only see some pages."""
    root = Path(__file__).resolve().parent.parent / "templates"
    for template in root.rglob("*.html"):
        html = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), template
        assert not re.search(r"\s(on[a-z]+|style)\s*=", html), template
        assert "javascript:" not in html, template


# HEAD: every route with a GET, filled in with things that exist.

def get_routes():
    """(name, regex pattern) of every route whose handler answers GET."""
    return [(spec.name, spec.regex.pattern) for spec in routes()
            if spec.handler_class.get is not tornado.web.RequestHandler.get]


def fillings(pattern: str, values: list[str]):
    """Paths for `pattern` with each group filled by any of `values` that fits it."""
    groups = re.findall(r"\((?!\?)[^()]*\)", pattern)
    choices = [[v for v in values if re.fullmatch(g, v)] for g in groups]
    for combo in itertools.product(*choices):
        path = pattern.rstrip("$")
        for group, value in zip(groups, combo):
            path = path.replace(group, value, 1)
        yield path.replace("\\", "")


async def assert_head_answers_like_get(c: Client, path: str) -> int:
    got, head = await c.get(path), await c.request("HEAD", path)
    assert head.code == got.code != 405, path
    assert head.body == b"", path
    assert head.headers.get("Content-Type") == got.headers.get("Content-Type"), path
    assert head.headers.get("Cache-Control") == got.headers.get("Cache-Control"), path
    return got.code


async def test_head_answers_wherever_get_does(signed_in, settings):
    await submit(signed_in)
    anonymous = Client(settings.site_url)
    known = [HELLO, await comment(signed_in, "A word"), "ada", "python", "README.md", "0" * 64]
    names = set()
    for name, pattern in get_routes():
        for path in fillings(pattern, known):
            if await assert_head_answers_like_get(signed_in, path) != 404:
                break
        await assert_head_answers_like_get(anonymous, path)
        names.add(name)
    assert {"healthz", "home", "gist", "gist-raw", "account", "feed-gists-atom", "avatar"} <= names
    for path in ("/healthz", "/static/site.js", "/robots.txt"):
        assert await assert_head_answers_like_get(anonymous, path) == 200
    anonymous.close()


async def test_head_is_still_refused_where_get_is(client):
    assert (await client.request("HEAD", "/logout")).code == 405
