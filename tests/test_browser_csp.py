"""In Chromium, under the Content-Security-Policy: nothing on our pages is refused; previews and live comments work."""

from playwright.async_api import expect

from tests.discussion import HELLO, person, post, submit  # noqa: F401 - a fixture

# Installed before any page script runs; CDP-injected, so the policy does not apply to it.
WATCH = """
window.refused = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.refused.push(`${event.effectiveDirective} ${event.blockedURI}`));
"""


async def watched_tab(browser, settings, client=None):
    """A tab (signed in as `client`'s person, if given) that records every refusal the policy makes."""
    context = await browser.new_context(base_url=settings.site_url)
    if client:
        await context.add_cookies([{"name": name, "value": value, "url": settings.site_url}
                                   for name, value in client.cookies.items()])
    await context.add_init_script(WATCH)
    tab = await context.new_page()
    tab.console_refusals = []
    tab.on("console", lambda message: "Content Security Policy" in message.text
           and tab.console_refusals.append(message.text))
    return tab


async def refusals(tab) -> list[str]:
    # Violation events are queued as tasks: one round trip through the page lets them land.
    await tab.evaluate("new Promise((done) => setTimeout(done, 50))")
    return await tab.evaluate("window.refused") + tab.console_refusals


async def test_the_watch_sees_an_inline_script_being_refused(browser, site, settings):
    tab = await watched_tab(browser, settings)
    await tab.goto("/")
    await tab.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.body.append(script);
    }""")
    assert await tab.evaluate("window.ran") is None
    assert any(line.startswith("script-src") for line in await refusals(tab))
    await tab.context.close()


async def test_anonymous_pages_load_with_nothing_refused(browser, site, settings, signed_in):
    await submit(signed_in)
    tab = await watched_tab(browser, settings)
    for path in ("/", f"/gists/{HELLO}", "/login", "/tags", "/people", "/no/such/page"):
        assert "script-src 'self'" in (await tab.goto(path)).headers["content-security-policy"]
        await expect(tab.locator("main")).to_be_visible()
    assert await refusals(tab) == []
    await tab.context.close()


async def test_signed_in_pages_preview_and_live_comments_work_with_nothing_refused(
        browser, site, settings, signed_in, person):
    await submit(signed_in)
    tab = await watched_tab(browser, settings, signed_in)
    for path in ("/", "/account", "/gists/new", f"/gists/{HELLO}"):
        assert "script-src 'self'" in (await tab.goto(path)).headers["content-security-policy"]
        await expect(tab.locator("main")).to_be_visible()

    form = tab.locator("#discussion > form.comment-form")
    await form.locator("textarea").fill("Some **bold** words")
    await form.get_by_role("button", name="Preview").click()
    await expect(form.locator(".preview strong")).to_have_text("bold")

    response = await post(await person("bob@example.com"), "Arrived *live*")
    assert response.code == 303, response.text
    await expect(tab.locator("#discussion .thread article.comment")).to_contain_text("Arrived live")
    assert await refusals(tab) == []
    await tab.context.close()
