"""The image proxy (issue 18): comment images load from the site under signed addresses, within limits."""

import asyncio
import re

import pytest

from tests.client import Client
from tests.discussion import HELLO, comment, submit
from tests.fake_images import CAT, fake_images, proxy_to_fake  # noqa: F401 - a fixture
from tornadogists.config import Settings
from tornadogists.text.images import image_key, proxy_path
from tornadogists.text.markdown import render_markdown

LIMIT = 50_000


@pytest.fixture
def settings(settings, request):
    # The fake host is on 127.0.0.1, which the proxy refuses unless told (see the last test).
    changes = {"image_proxy_max_bytes": LIMIT, "image_proxy_timeout_seconds": 1} | getattr(request, "param", {})
    return proxy_to_fake(settings, **changes)


def proxied(settings, url: str) -> str:
    """The address the site's renderer gives an image at `url`."""
    return proxy_path(image_key(settings.cookie_secret), url)


async def fetch(client: Client, settings, url: str, **options):
    return await client.get(proxied(settings, url), **options)


async def test_a_comment_image_loads_from_the_site_and_not_from_its_host(signed_in, settings, fake_images):  # noqa: F811
    await submit(signed_in)
    cat = fake_images.url("/cat.png")
    await comment(signed_in, f"![]({cat}) and <img src='{cat}?raw' alt='raw one'>")
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert fake_images.base_url not in page
    images = re.findall(r'<img src="(/images/[^"]+)" alt="([^"]*)"', page)
    assert [alt for _, alt in images] == ["cat.png", "raw one"]
    answer = await signed_in.get(images[0][0])
    assert (answer.code, answer.headers["Content-Type"], answer.body) == (200, "image/png", CAT)
    assert "public" in answer.headers["Cache-Control"]
    feed = (await signed_in.get("/feeds/comments.atom")).text   # read away from the site: addressed in full
    assert f'src="{settings.site_url}{images[0][0]}"' in feed and fake_images.base_url not in feed
    [api] = (await signed_in.get(f"/api/v1/gists/{HELLO}/comments")).json()
    assert f'src="{settings.site_url}{images[0][0]}"' in api["html"]


async def test_github_comment_images_go_through_the_proxy_too(signed_in, fake_github, fake_images):  # noqa: F811
    fake_github.add_comment(HELLO, f"<img src=\"{fake_images.url('/cat.png')}\"> and <img src=x>", login="hubot")
    await submit(signed_in)
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert fake_images.base_url not in page
    assert re.search(r'<img src="/images/[0-9a-f]{32}/[\w-]+" alt="cat.png"', page)
    assert "<img src=x" not in page and 'src="x"' not in page   # no address: its alt text, "x"


@pytest.mark.parametrize("markdown, alt", [
    ("![](https://img.example/a/cat%20pic.png)", "cat pic.png"),
    ("![a cat](https://img.example/c.gif)", "a cat"),
    ("<img src='https://img.example/'>", "image"),
])
def test_an_image_without_alt_gets_its_file_name_or_image(markdown, alt):
    assert f'alt="{alt}"' in render_markdown(markdown, image_key=b"key")


def test_an_image_with_no_web_address_becomes_its_alt_text():
    assert render_markdown('<img src="javascript:alert(1)" alt="look">', image_key=b"key") == "look"


async def test_nothing_of_the_reader_is_sent_upstream(client, settings, fake_images):  # noqa: F811
    answer = await fetch(client, settings, fake_images.url("/cat.png"),
                         headers={"Cookie": "session=secret", "Referer": f"{settings.site_url}/gists/{HELLO}",
                                  "User-Agent": "Reader's browser", "Authorization": "Bearer x"})
    assert answer.code == 200
    [seen] = fake_images.requests
    assert {"Cookie", "Referer", "Authorization"}.isdisjoint(seen.headers)
    assert seen.headers["User-Agent"] == "TornadoGists image proxy"


async def test_an_image_is_fetched_once_then_served_from_memory(client, settings, fake_images):  # noqa: F811
    for _ in range(3):
        assert (await fetch(client, settings, fake_images.url("/cat.png"))).body == CAT
    assert len(fake_images.requests) == 1


async def test_readers_asking_at_once_share_one_fetch(client, settings, fake_images):  # noqa: F811
    fake_images.slow_seconds = 0.3   # within the timeout: all three ask while it is on its way
    answers = await asyncio.gather(*(fetch(client, settings, fake_images.url("/slow.png")) for _ in range(3)))
    assert [answer.body for answer in answers] == [CAT] * 3
    assert len(fake_images.requests) == 1


async def test_a_content_type_with_parameters_is_served_as_the_bare_type(client, settings, fake_images):  # noqa: F811
    answer = await fetch(client, settings, fake_images.url("/cat-typed.png"))
    assert (answer.code, answer.headers["Content-Type"]) == (200, "image/png")


@pytest.mark.parametrize("path, status, says", [
    ("/big.png", 502, f"larger than {LIMIT} bytes"),           # refused at its Content-Length
    ("/big-chunked.png", 502, f"larger than {LIMIT} bytes"),   # no length: refused while counting
    ("/page.png", 415, "text/html"),
    ("/logo.svg", 415, "SVG can carry script"),
    ("/missing.png", 502, "answered 404"),
    ("/hop/5", 502, "too many redirects"),
    ("/slow.png", 504, "did not answer in time"),
])
async def test_what_the_proxy_refuses_it_says_why(client, settings, fake_images, path, status, says):  # noqa: F811
    answer = await fetch(client, settings, fake_images.url(path))
    assert (answer.code, says in answer.text) == (status, True), answer.text
    assert answer.headers["Content-Type"].startswith("text/plain")


async def test_a_few_redirects_are_followed(client, settings, fake_images):  # noqa: F811
    answer = await fetch(client, settings, fake_images.url("/hop/3"))
    assert (answer.code, answer.body) == (200, CAT)
    assert [r.path for r in fake_images.requests] == ["/hop/3", "/hop/2", "/hop/1", "/cat.png"]


async def test_an_address_this_site_did_not_sign_is_refused(client, settings, fake_images):  # noqa: F811
    signature, encoded = proxied(settings, fake_images.url("/cat.png")).split("/")[2:]
    other = proxy_path(b"another key", fake_images.url("/cat.png"))
    for path in (other, f"/images/{signature}/{encoded}A", f"/images/{signature}/%%%", f"/images/{signature[:-1]}/x"):
        answer = await client.get(path)
        assert answer.code in (403, 404), path
    assert (await client.get(other)).code == 403
    assert "not made by this site" in (await client.get(other)).text
    assert fake_images.requests == []


@pytest.mark.parametrize("settings", [{"image_proxy_private_hosts": False}], indirect=True)
async def test_by_default_the_proxy_refuses_private_addresses(client, settings, fake_images):  # noqa: F811
    assert not Settings().image_proxy_private_hosts
    answer = await fetch(client, settings, fake_images.url("/cat.png"))
    assert (answer.code, "not a public address" in answer.text) == (502, True)
    assert fake_images.requests == []
