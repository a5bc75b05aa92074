"""URLs from outside: malformed gist URLs, odd static paths, and the links in GitHub's answers."""

import pytest

from tests.html_checks import active_content
from tornadogists.github import github_web_url

HELLO = "aa5a315d61ae9438b18d"
API = "http://127.0.0.1:8123"   # a stand-in API, as the tests' fake GitHub is


@pytest.mark.parametrize("url", ["http://[gist.github.com", "http://gist.github.com\uff03x"])
async def test_a_malformed_gist_url_is_a_400_with_the_forms_message(signed_in, url):
    response = await signed_in.post("/gists", {"url": url})
    assert response.code == 400
    assert "Paste a gist URL such as" in response.text


async def test_a_nul_byte_in_a_static_path_is_a_404(client):
    assert (await client.get("/static/site.js%00.txt")).code == 404
    assert (await client.get("/static/site.js")).code == 200


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", " javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
    "http://github.com/octocat",   # not https
    "https://evil.example/octocat", "https://github.com.evil.example/", "https://evilgithub.com/",
    "https://[github.com/", "https://github.com:99999/", "https://github.com/\nx", "//github.com/x",
    "https://evil.example\\@github.com/",   # a browser goes to evil.example
])
async def test_links_in_githubs_answer_that_lead_off_github_are_never_shown(signed_in, fake_github, value):
    gist = fake_github.gists[HELLO]
    gist["html_url"] = value
    gist["owner"]["html_url"] = gist["owner"]["avatar_url"] = value
    gist["files"]["big.bin"] = {"filename": "big.bin", "type": "application/octet-stream", "language": None,
                                "raw_url": value, "size": 50 << 20, "truncated": True, "content": ""}
    response = await signed_in.post("/gists", {"url": HELLO, "tags": "python"})
    assert response.code == 303, response.text
    for path in (f"/gists/{HELLO}", "/", "/search?q=Tornado", "/tags/python", "/users/ada"):
        page = await signed_in.get(path)
        assert page.code == 200, path
        assert "Hello, Tornado" in page.text, path  # the gist is on the page...
        assert value.strip() not in page.text, path  # ...without the link
        assert 'href="None"' not in page.text and 'src="None"' not in page.text
        assert active_content(page.text) == [], path


async def test_links_on_github_are_kept(signed_in, fake_github):
    response = await signed_in.post("/gists", {"url": HELLO})
    assert response.code == 303, response.text
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert 'href="https://github.com/octocat"' in page
    assert 'src="https://avatars.githubusercontent.com/u/583231?v=4"' in page
    assert f'href="https://gist.github.com/octocat/{HELLO}"' in page


@pytest.mark.parametrize("value", [
    "https://github.com/octocat", "https://gist.github.com/octocat/x", "https://avatars.githubusercontent.com/u/1",
    f"{API}/avatars/u/1", "https://someone@github.com/",
])
def test_https_urls_on_github_or_the_configured_api_pass(value):
    assert github_web_url(value, API) == value


@pytest.mark.parametrize("value", [
    None, 5, "", "javascript:alert(1)", "http://github.com/x", "https://github.com:8443/x",
    "https://127.0.0.1:8123/x", "http://127.0.0.1:8124/x", "https://github.com@evil.example/",
    "https://github.com\x00/", "https://github.com/x y",
])
def test_anything_else_is_dropped(value):
    assert github_web_url(value, API) is None


@pytest.mark.parametrize("field, value", [
    ("created_at", "yesterday"), ("updated_at", 12), ("history", "v1"), ("history", [None]), ("history", {}),
])
async def test_a_malformed_time_or_history_from_github_still_imports(signed_in, fake_github, field, value):
    fake_github.gists[HELLO][field] = value
    response = await signed_in.post("/gists", {"url": HELLO})
    assert response.code == 303, response.text
    assert "Hello, Tornado" in (await signed_in.get(f"/gists/{HELLO}")).text
