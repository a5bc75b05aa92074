"""A field of the wrong type in GitHub's answer is taken as absent: the gist imports and every page shows it."""

import pytest

HELLO = "aa5a315d61ae9438b18d"
WRONG = [12345, None, ["a"], {"a": 1}, True, ""]
PAGES = (f"/gists/{HELLO}", f"/gists/{HELLO}/comments.atom", "/", "/feeds/gists.atom", "/feeds/gists.rss",
         "/users/ada", "/users/ada/feed.atom", "/tags/python", "/tags/python/feed.atom", "/search?q=Tornado")


async def import_and_read(client, fake_github) -> dict:
    response = await client.post("/gists", {"url": HELLO, "tags": "python"})
    assert response.code == 303, response.text
    pages = {path: await client.get(path) for path in PAGES}
    for path, page in pages.items():
        assert page.code == 200, (path, page.text[:300])
    return {path: page.text for path, page in pages.items()}


@pytest.mark.parametrize("value", WRONG)
async def test_a_description_that_is_no_text_is_no_description(signed_in, fake_github, value):
    fake_github.gists[HELLO]["description"] = value
    pages = await import_and_read(signed_in, fake_github)
    assert f"<h1>{HELLO}</h1>" in pages[f"/gists/{HELLO}"]
    assert "12345" not in pages["/feeds/gists.atom"] and f"Gist {HELLO}" in pages["/feeds/gists.atom"]


@pytest.mark.parametrize("value", WRONG)
async def test_a_file_name_that_is_no_text_is_the_files_key(signed_in, fake_github, value):
    fake_github.gists[HELLO]["files"]["hello.py"]["filename"] = value
    pages = await import_and_read(signed_in, fake_github)
    assert "hello.py" in pages[f"/gists/{HELLO}"]


@pytest.mark.parametrize("field", ["language", "type", "size", "truncated", "content"])
@pytest.mark.parametrize("value", WRONG[:4])
async def test_a_file_field_of_the_wrong_type_is_absent(signed_in, fake_github, field, value):
    fake_github.gists[HELLO]["files"]["hello.py"][field] = value
    await import_and_read(signed_in, fake_github)


@pytest.mark.parametrize("value", WRONG)
async def test_an_owner_without_a_login_is_no_owner(signed_in, fake_github, value):
    fake_github.gists[HELLO]["owner"]["login"] = value
    pages = await import_and_read(signed_in, fake_github)
    assert "Hello, Tornado" in pages[f"/gists/{HELLO}"]


@pytest.mark.parametrize("value", WRONG[:4] + ["octocat"])
async def test_an_owner_that_is_no_object_is_no_owner(signed_in, fake_github, value):
    fake_github.gists[HELLO]["owner"] = value
    await import_and_read(signed_in, fake_github)
