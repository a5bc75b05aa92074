"""In Chromium with the keyboard only: sign in, submit a gist, comment, reply, switch the theme; focus always shows."""

from playwright.async_api import expect

from tests.discussion import HELLO, comment, submit

# The focused element, and whether a focus ring is drawn around it.
FOCUS = """() => { const el = document.activeElement; const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return { ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
             onScreen: box.bottom > 0 && box.top < innerHeight && box.width > 0 }; }"""


async def tab_to(tab, target, limit: int = 120) -> None:
    """Press Tab until `target` (a locator) has the focus, checking that every stop shows where it is."""
    for _ in range(limit):
        await tab.keyboard.press("Tab")
        focus = await tab.evaluate(FOCUS)
        assert focus["ring"] and focus["onScreen"], await tab.evaluate("document.activeElement.outerHTML")
        if await target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab")


async def follow(tab) -> None:
    """Press Enter on a link or a submit button, and wait for the page it leads to."""
    async with tab.expect_navigation():
        await tab.keyboard.press("Enter")


async def test_sign_in_submit_comment_reply_and_theme_with_the_keyboard_only(page, outbox):
    await page.goto("/")
    await tab_to(page, page.get_by_role("link", name="Skip to content"))
    await tab_to(page, page.get_by_role("link", name="Sign in"))
    await follow(page)
    await expect(page).to_have_url("/login?next=%2F")
    await tab_to(page, page.get_by_label("Your e-mail address"))
    await page.keyboard.type("kay@example.com")
    await follow(page)
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    await page.goto(await outbox.last_link())   # following the e-mailed link
    await tab_to(page, page.get_by_role("button", name="Sign in as kay@example.com"))
    await follow(page)

    await tab_to(page, page.get_by_role("link", name="Submit a gist"))
    await follow(page)
    await expect(page).to_have_url("/gists/new")
    await tab_to(page, page.get_by_label("Gist URL or id"))
    await page.keyboard.type(HELLO)
    await tab_to(page, page.get_by_role("button", name="Import from GitHub"))
    await follow(page)
    await expect(page).to_have_url(f"/gists/{HELLO}")

    await tab_to(page, page.get_by_role("textbox", name="Comment (Markdown)"))
    await page.keyboard.type("Typed with the keyboard.")
    await tab_to(page, page.get_by_role("button", name="Comment", exact=True))
    await follow(page)
    comment = page.locator("#discussion .thread > article.comment")
    await expect(comment).to_contain_text("Typed with the keyboard.")

    await tab_to(page, comment.locator("summary", has_text="Reply"))
    await page.keyboard.press("Enter")
    await tab_to(page, comment.get_by_role("textbox", name="Reply (Markdown)"))
    await page.keyboard.type("A keyboard reply.")
    await tab_to(page, comment.get_by_role("button", name="Reply", exact=True))
    await follow(page)
    await expect(page.locator("#discussion .replies article.comment")).to_contain_text("A keyboard reply.")

    await tab_to(page, page.get_by_role("button", name="Dark"))
    await page.keyboard.press("Enter")
    await expect(page.locator("html")).to_have_attribute("data-theme", "dark")


async def test_a_comment_updated_live_keeps_the_keyboard_focus(browser, site, settings, signed_in):
    await submit(signed_in)
    comment_id = await comment(signed_in, "First words.")
    context = await browser.new_context(base_url=settings.site_url)
    await context.add_cookies([{"name": name, "value": value, "url": settings.site_url}
                               for name, value in signed_in.cookies.items()])
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}")
    shown = tab.locator(f"#comment-{comment_id}")
    await shown.locator(".comment-head .permalink").focus()
    response = await signed_in.post(f"/gists/{HELLO}/comments/{comment_id}/edit", {"body": "Second words."})
    assert response.code == 303, response.text
    await expect(shown.locator(".comment-body")).to_have_text("Second words.")
    # The head was put in anew; the focus moved to its new permalink instead of dropping to the page.
    assert await shown.locator(".comment-head .permalink").evaluate("(el) => el === document.activeElement")
    await context.close()
