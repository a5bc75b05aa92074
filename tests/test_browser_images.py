"""In Chromium: GitHub avatars that fail to load fall back to the site's own; comment images come through the proxy."""

import pytest
from playwright.async_api import expect

from tests.discussion import HELLO, comment, submit
from tests.fake_images import fake_images, proxy_to_fake  # noqa: F401 - a fixture

# The width of a picture once shown; decode() fails for a broken image.
WIDTH = "(img) => img.decode().then(() => img.naturalWidth, () => 0)"


@pytest.fixture
def settings(settings):
    return proxy_to_fake(settings)


async def test_broken_github_avatars_show_initials_and_comment_images_load_from_the_site(
        page, signed_in, fake_github, fake_images):  # noqa: F811
    missing = f"{fake_github.base_url}/avatars/none.png"   # on GitHub's (fake) host: a 404
    fake_github.gists[HELLO]["owner"]["avatar_url"] = missing
    fake_github.add_comment(HELLO, f"A cat: ![]({fake_images.url('/cat.png')})", login="Hubot", avatar_url=missing)
    await submit(signed_in)
    await comment(signed_in, f"Another: <img src=\"{fake_images.url('/cat.png')}?2\">")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    await page.goto(f"/gists/{HELLO}")
    await expect(page.locator('img.avatar[src="/avatars/octocat.svg"]')).to_have_count(1)
    await expect(page.locator('img.avatar[src="/avatars/hubot.svg"]')).to_have_count(1)
    for avatar in await page.locator('img.avatar[src^="/avatars/"]').all():
        assert await avatar.evaluate(WIDTH) == 64
    images = page.locator(".comment-body img")
    await expect(images).to_have_count(2)
    for image in await images.all():
        assert (await image.get_attribute("src")).startswith("/images/")
        await image.scroll_into_view_if_needed()   # loading="lazy"
        assert await image.evaluate(WIDTH) == 2
    assert await images.first.get_attribute("alt") == "cat.png"
    # Tried first (the browser may fetch the one address once for both pictures).
    assert {r.path for r in fake_github.requests_to("/avatars/")} == {"/avatars/none.png"}
    assert {r.path for r in fake_images.requests} == {"/cat.png"}   # by the proxy, not the browser
    assert all("404" in text for text in errors), errors   # only the failed fetches
