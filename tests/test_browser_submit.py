"""In a real browser: sign in through the e-mailed link, submit a gist, see highlighted code."""

from playwright.async_api import expect

HELLO = "aa5a315d61ae9438b18d"


async def test_sign_in_submit_and_read_a_gist(page, outbox):
    await page.goto("/")
    await page.get_by_role("link", name="Submit a gist").click()
    await expect(page).to_have_url("/login?next=%2Fgists%2Fnew")
    await page.get_by_label("Your e-mail address").fill("grace@example.com")
    await page.get_by_role("button", name="E-mail me a sign-in link").click()
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    await page.goto(await outbox.last_link())
    await page.get_by_role("button", name="Sign in as grace@example.com").click()
    await expect(page).to_have_url("/gists/new")
    await expect(page.locator(".who")).to_have_text("grace")

    await page.get_by_label("Gist URL or id").fill(f"  https://gist.github.com/octocat/{HELLO}#file-hello-py ")
    await page.get_by_label("Tags").fill("python")
    await page.get_by_role("button", name="Import from GitHub").click()
    await expect(page).to_have_url(f"/gists/{HELLO}")
    await expect(page.locator(".gist-head h1")).to_have_text("Hello, Tornado")
    keyword = page.locator("#file-2-L1 .k, #file-hello-py .k").first
    await expect(keyword).to_be_visible()
    await page.locator('#file-hello-py a[href="#file-2-L2"]').click()
    await expect(page).to_have_url(f"/gists/{HELLO}#file-hello-py-L2")
