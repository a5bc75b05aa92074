"""In a real browser: import some of one's own gists from the list, and watch the progress to the end."""

import pytest
from playwright.async_api import expect

from tests.test_browser_a11y import AXE, report


@pytest.fixture
def settings(settings, fake_github):
    return fake_github.with_oauth_app(settings)


async def test_ticked_gists_import_with_the_progress_shown_live(page, fake_github, db):
    ids = fake_github.add_user_gists("octocat", 4)
    await page.goto("/login?next=/gists/new")
    await page.get_by_role("link", name="Sign in with GitHub").click()
    await page.get_by_role("link", name="import several of your own gists at once").click()

    await expect(page.get_by_role("checkbox")).to_have_count(5)
    assert report("import", (await AXE.run(page)).response["violations"]) == []
    await page.get_by_label("Snippet 1 of octocat").check()
    await page.get_by_label("Snippet 2 of octocat").check()
    await page.get_by_role("button", name="Import the ticked gists").click()

    await expect(page).to_have_url("/import/progress")
    # site.js fetches the progress again while it runs: no reload.
    await expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=20_000)
    await expect(page.locator("#import-progress [role=status]")).to_have_text("2 of 2: 2 imported, 0 already here.")
    assert await db.gists.count_documents({"gist_id": {"$in": ids}}) == 2
    assert report("import progress", (await AXE.run(page)).response["violations"]) == []
