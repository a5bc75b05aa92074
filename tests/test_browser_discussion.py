"""In a real browser: two people on one gist; one comments on a line and replies, the other sees both live."""

import re

from playwright.async_api import expect

from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture


async def page_as(browser, settings, client):
    """A browser tab signed in as the person behind `client` (same session cookie)."""
    context = await browser.new_context(base_url=settings.site_url)
    await context.add_cookies([{"name": name, "value": value, "url": settings.site_url}
                               for name, value in client.cookies.items()])
    return await context.new_page()


async def test_a_line_comment_and_a_reply_appear_on_another_open_page(browser, site, settings, signed_in, person):
    await submit(signed_in)
    writer = await page_as(browser, settings, signed_in)
    reader = await page_as(browser, settings, await person("bob@example.com"))
    await writer.goto(f"/gists/{HELLO}")
    await reader.goto(f"/gists/{HELLO}")
    await reader.evaluate("window.stillTheSamePage = true")

    await writer.locator("#file-2-L6").hover()
    await writer.get_by_role("button", name="Comment on line 6").click()
    box = writer.locator("#file-2-L6 + li.line-form")
    await box.locator("textarea").fill("Why not **RequestHandler** directly?")
    await box.get_by_role("button", name="Preview").click()
    await expect(box.locator(".preview strong")).to_have_text("RequestHandler")
    await box.get_by_role("button", name="Write").click()
    await box.get_by_role("button", name="Comment on this line").click()
    await expect(writer).to_have_url(re.compile(rf"/gists/{HELLO}#comment-[0-9a-f]{{24}}$"))

    under_line = reader.locator("#file-2-L6 + li.line-comments article.comment")
    await expect(under_line).to_contain_text("Why not RequestHandler directly?")
    comment_id = await under_line.get_attribute("data-id")
    in_thread = reader.locator(f"#comment-{comment_id}")
    await expect(in_thread).to_contain_text("on hello.py line 6")

    await writer.locator(f"#comment-{comment_id} > .comment-main summary", has_text="Reply").click()
    reply = writer.locator(f"#comment-{comment_id} > .comment-main details.reply form")
    await reply.locator("textarea").fill("Because of *routing*.")
    await reply.get_by_role("button", name="Reply").click()
    await expect(writer).to_have_url(re.compile(r"#comment-"))

    await expect(in_thread.locator(":scope > .replies article.comment")).to_contain_text("Because of routing.")
    await expect(reader.locator("#file-2-L6 + li.line-comments .replies article.comment")).to_contain_text(
        "Because of routing.")
    await expect(reader.locator("#discussion .count")).to_have_text("2")
    assert await reader.evaluate("window.stillTheSamePage") is True
    await writer.context.close()
    await reader.context.close()


async def test_a_comment_written_just_before_the_page_opened_is_not_rebuilt_by_live_news(
        browser, site, settings, signed_in, person):
    """The poller passes on what changed in its last seconds, so a page that has just joined hears of
    comments it already shows; rebuilding them would drop a click or a scroll aimed at them."""
    await submit(signed_in)
    first = await comment(signed_in, "Written before the page opened.")
    reader = await page_as(browser, settings, await person("bob@example.com"))
    await reader.goto(f"/gists/{HELLO}")
    await reader.evaluate(f"window.firstBody = document.querySelector('#comment-{first} .comment-body')")
    second = await comment(signed_in, "Written after.")
    await expect(reader.locator(f"#comment-{second}")).to_contain_text("Written after.")   # news has come
    assert await reader.evaluate(f"window.firstBody === document.querySelector('#comment-{first} .comment-body')")
    await reader.context.close()
