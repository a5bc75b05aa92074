"""In Chromium: keyboard shortcuts (issue 20) — ? for help, / or s to search, j/k through a listing, o to open, g h home."""

from playwright.async_api import expect

from tests.discussion import submit

GISTS = ["aa5a315d61ae9438b18d", "bb6b426e72bf0549c29e", "cc7c537f83c0650ad3af"]
SELECTED = """() => [...document.querySelectorAll("main .card")].findIndex((card) => card.classList.contains("selected"))"""
RING = """() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0; }"""


async def test_shortcuts_move_through_the_listing_and_never_fire_while_typing(page, signed_in):
    for gist_id in GISTS:
        await submit(signed_in, gist_id)
    await page.goto("/")
    cards = page.locator("main .card")
    await expect(cards).to_have_count(3)

    await page.keyboard.press("?")
    help = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(help).to_be_visible()
    await expect(help.get_by_role("button", name="Close")).to_be_focused()
    await page.keyboard.press("j")                       # the dialog is modal: nothing behind it moves
    assert await page.evaluate(SELECTED) == -1
    await page.keyboard.press("Escape")
    await expect(help).to_be_hidden()

    await page.keyboard.press("j")
    await page.keyboard.press("j")
    assert await page.evaluate(SELECTED) == 1
    await expect(cards.nth(1).locator("h2 a")).to_be_focused()
    assert await page.evaluate(RING)                     # the focus shows
    await page.keyboard.press("k")
    assert await page.evaluate(SELECTED) == 0
    await page.keyboard.press("Alt+j")                   # with a modifier: the browser's, not ours
    await page.keyboard.press("Control+j")
    assert await page.evaluate(SELECTED) == 0

    await page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search gists")
    await expect(search).to_be_focused()
    await page.keyboard.type("jks/?o")                   # typed, not shortcuts
    await expect(search).to_have_value("jks/?o")
    assert await page.evaluate(SELECTED) == 0
    await expect(page.get_by_role("dialog")).to_have_count(0)
    await page.evaluate("""() => { const note = document.createElement("div");
        note.contentEditable = "true"; note.id = "note"; document.querySelector("main").append(note); }""")
    await page.locator("#note").click()
    await page.keyboard.type("jjs")
    await expect(page.locator("#note")).to_have_text("jjs")
    assert await page.evaluate(SELECTED) == 0

    await page.locator("main h1, main h2").first.click()   # out of any field
    await page.keyboard.press("s")
    await expect(search).to_be_focused()
    await page.locator("main h1, main h2").first.click()
    await page.keyboard.press("j")                       # from the selected first card to the second
    href = await cards.nth(1).locator("h2 a").get_attribute("href")
    await page.keyboard.press("o")
    await expect(page).to_have_url(href)
    await page.wait_for_load_state("domcontentloaded")   # site.js (deferred) listens from then on
    await page.keyboard.press("g")
    await page.keyboard.press("h")
    await expect(page).to_have_url("/")
    await page.wait_for_load_state("domcontentloaded")
    await page.keyboard.press("j")
    first = await cards.nth(0).locator("h2 a").get_attribute("href")
    await page.keyboard.press("Enter")                   # Enter follows the selected item's link
    await expect(page).to_have_url(first)
