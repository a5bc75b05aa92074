"""In a real browser: love a gist, follow a tag link, search a word from a file and land on the gist."""

from playwright.async_api import expect

HELLO = "aa5a315d61ae9438b18d"


async def test_love_follow_a_tag_and_search_a_word_from_a_file(page, outbox):
    await page.goto("/login?next=/gists/new")
    await page.get_by_label("Your e-mail address").fill("grace@example.com")
    await page.get_by_role("button", name="E-mail me a sign-in link").click()
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    await page.goto(await outbox.last_link())
    await page.get_by_role("button", name="Sign in as grace@example.com").click()
    await page.get_by_label("Gist URL or id").fill(HELLO)
    await page.get_by_label("Tags").fill("tornado, python")
    await page.get_by_role("button", name="Import from GitHub").click()
    await expect(page).to_have_url(f"/gists/{HELLO}")

    love = page.locator(".gist-actions button.love")
    await expect(love).to_have_attribute("aria-pressed", "false")
    await love.click()
    await expect(love).to_have_attribute("aria-pressed", "true")  # answered with JSON, no reload
    await expect(love.locator(".love-count")).to_have_text("1")
    await expect(love.locator(".love-label")).to_have_text("Loved")
    await page.reload()
    await expect(page.locator(".gist-actions .love-count")).to_have_text("1")

    await page.locator(".gist-actions").get_by_role("link", name="tornado").click()
    await expect(page).to_have_url("/tags/tornado")
    await expect(page.get_by_role("link", name="Hello, Tornado")).to_be_visible()
    await expect(page.locator(".card .loves")).to_have_text("♥ 1")

    search = page.get_by_role("searchbox", name="Search gists")
    await search.fill("HelloHandler")
    await search.press("Enter")
    await expect(page).to_have_url("/search?q=HelloHandler")
    await expect(page.locator(".excerpt mark")).to_have_text("HelloHandler")
    await page.get_by_role("link", name="hello.py, line 6").click()
    await expect(page).to_have_url(f"/gists/{HELLO}#file-hello-py-L6")   # shown as GitHub writes it
    await expect(page.locator("#file-2-L6")).to_contain_text("class HelloHandler")
