"""Dark mode in Chromium: auto follows the system, the switch works at once with JavaScript and without."""

from playwright.async_api import expect

from tests.discussion import HELLO, submit

COLOURS = """() => [document.body, document.querySelector(".highlight .k"), document.querySelector(".file-head, .panel")]
    .filter(Boolean).map((el) => { const s = getComputedStyle(el); return [s.color, s.backgroundColor]; })"""
DARK_BACKGROUND = "rgb(13, 17, 23)"
LIGHT_BACKGROUND = "rgb(255, 255, 255)"


async def colours(tab) -> list:
    return await tab.evaluate(COLOURS)


async def test_auto_follows_the_system_and_the_switch_changes_the_page_at_once(browser, site, settings, signed_in):
    await submit(signed_in)
    context = await browser.new_context(base_url=settings.site_url, color_scheme="dark")
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}")
    html = tab.locator("html")
    await expect(html).to_have_attribute("data-theme", "auto")
    on_a_dark_system = await colours(tab)
    assert on_a_dark_system[0][1] == DARK_BACKGROUND

    await tab.evaluate("window.notReloaded = true")
    await tab.get_by_role("button", name="Light").click()
    await expect(html).to_have_attribute("data-theme", "light")
    await expect(tab.get_by_role("button", name="Light")).to_have_attribute("aria-pressed", "true")
    await expect(tab.get_by_role("button", name="Auto")).to_have_attribute("aria-pressed", "false")
    assert (await colours(tab))[0][1] == LIGHT_BACKGROUND
    assert await tab.evaluate("window.notReloaded")

    # Kept in the cookie: the next page comes from the server already light, though the system is dark.
    assert await theme_cookie(context) == "light"
    await tab.reload()
    await expect(html).to_have_attribute("data-theme", "light")
    assert (await colours(tab))[0][1] == LIGHT_BACKGROUND

    # The dark theme chosen looks exactly like auto on a dark system: code, page and boxes.
    await tab.get_by_role("button", name="Dark").click()
    await expect(html).to_have_attribute("data-theme", "dark")
    assert await colours(tab) == on_a_dark_system
    await context.close()


async def theme_cookie(context) -> str:
    """The theme cookie's value, once site.js's request has set it."""
    for _ in range(100):
        found = [c["value"] for c in await context.cookies() if c["name"] == "theme"]
        if found:
            return found[0]
        await context.pages[0].wait_for_timeout(20)
    raise AssertionError("no theme cookie")


async def test_without_javascript_the_switch_posts_and_comes_back_themed(browser, site, settings):
    context = await browser.new_context(base_url=settings.site_url, java_script_enabled=False, color_scheme="light")
    tab = await context.new_page()
    await tab.goto("/tags?from=test")
    await tab.get_by_role("button", name="Dark").click()
    await expect(tab).to_have_url("/tags?from=test")
    await expect(tab.locator("html")).to_have_attribute("data-theme", "dark")
    await expect(tab.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    assert (await colours(tab))[0][1] == DARK_BACKGROUND
    await context.close()
