"""In a real browser: sign in with (fake) GitHub from the sign-in page and see the avatar in the header."""

import pytest
from playwright.async_api import expect


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)


async def test_sign_in_with_github_shows_the_github_avatar(page, fake_github):
    user = fake_github.set_user(login="Octocat", id=583231)
    await page.goto("/")
    await page.get_by_role("link", name="Submit a gist").click()
    await page.get_by_role("link", name="Sign in with GitHub").click()

    await expect(page).to_have_url("/gists/new")
    avatar = page.locator(".who img.avatar")
    await expect(avatar).to_have_attribute("src", user["avatar_url"])
    await expect(page.locator(".who")).to_have_text("octocat")
    loaded = await avatar.evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, "the avatar image did not load"
