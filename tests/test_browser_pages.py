"""In a real browser: jump to a numbered page, follow a language badge, open a gist and one related to it."""

from playwright.async_api import expect

from tests.crafted import days_ago, gist_id, make_gist, make_user


async def test_jump_to_a_page_follow_a_language_and_open_a_related_gist(page, db):
    ada = await make_user(db, "ada")
    for n in range(45):
        await make_gist(db, gist_id(n), ada, f"Websocket gist {n}", tags=["websocket"], submitted_at=days_ago(50 - n))
    await page.goto("/?sort=latest")
    pager = page.get_by_role("navigation", name="Pages")
    await expect(pager).to_contain_text("of 3")
    await pager.get_by_role("link", name="3", exact=True).click()
    await expect(page).to_have_url("/?sort=latest&page=3")
    await expect(pager.locator('[aria-current="page"]')).to_have_text("3")
    await expect(page.locator("ol.cards > li")).to_have_count(5)
    await page.locator("ol.cards .card").first.get_by_role("link", name="Python").click()
    await expect(page).to_have_url("/languages/python")
    await expect(page.get_by_role("heading", name="Gists in Python")).to_be_visible()
    await page.get_by_role("link", name="Websocket gist 44").click()
    related = page.locator("section.related")
    await expect(related.get_by_role("heading", name="Related gists")).to_be_visible()
    await expect(related.locator(".card")).to_have_count(5)
    await related.get_by_role("link", name="Websocket gist 43").click()
    await expect(page).to_have_url(f"/gists/{gist_id(43)}")
