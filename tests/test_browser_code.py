"""In a real browser: line anchors, the comment box under a clicked line number, line comments under their lines."""

import re

from playwright.async_api import expect

from tests.discussion import HELLO, comment, submit
from tests.test_big_files import BIG, add_big_gist, big_js
from tests.test_browser_discussion import page_as

TARGET = "rgb(255, 248, 197)"   # ol.code > li:target


async def background(page, selector: str) -> str:
    return await page.locator(selector).evaluate("el => getComputedStyle(el).backgroundColor")


async def test_a_clicked_line_number_opens_a_box_under_its_line_and_the_comment_stays_there(
        browser, site, settings, signed_in):
    await submit(signed_in)
    tab = await page_as(browser, settings, signed_in)
    await tab.goto(f"/gists/{HELLO}#file-hello-py-L3")
    await expect(tab.locator("#file-hello-py-L3")).to_be_in_viewport()
    assert await background(tab, "#file-hello-py-L3") == TARGET
    assert await background(tab, "#file-hello-py-L4") != TARGET

    await tab.locator('#file-hello-py a[href="#file-hello-py-L5"]').click()
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L5")
    assert await background(tab, "#file-hello-py-L5") == TARGET
    box = tab.locator("#file-hello-py-L5 + li.line-form")
    await expect(box.locator("textarea")).to_be_focused()
    assert await box.locator("input[name=file]").input_value() == "hello.py"
    assert await box.locator("input[name=line]").input_value() == "5"
    await box.locator("textarea").fill("Why **five**?")
    await box.get_by_role("button", name="Comment on this line").click()
    await expect(tab).to_have_url(re.compile(rf"/gists/{HELLO}#comment-[0-9a-f]{{24}}$"))
    await expect(tab.locator("#file-hello-py-L5 + li.line-comments article.comment")).to_contain_text("Why five?")
    # The lines after it keep their numbers: the comments' item is not counted.
    await expect(tab.locator("#file-hello-py-L6 > a")).to_have_text("6")
    await expect(tab.get_by_role("link", name="Line 6", exact=True)).to_have_attribute("href", "#file-hello-py-L6")
    assert await tab.locator("#file-hello-py-L6").evaluate("el => el.previousElementSibling.className") == "line-comments"
    await tab.context.close()


async def test_anchors_and_line_comments_work_without_javascript(browser, site, settings, signed_in):
    await submit(signed_in)
    await comment(signed_in, "Seen without scripts", file="hello.py", line="7")
    context = await browser.new_context(base_url=settings.site_url, java_script_enabled=False)
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}#file-hello-py-L3")
    await expect(tab.locator("#file-hello-py-L3")).to_be_in_viewport()
    assert await background(tab, "#file-hello-py-L3") == TARGET
    await tab.locator("#file-hello-py").get_by_role("link", name="4", exact=True).click()   # named by its number
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L4")
    assert await background(tab, "#file-hello-py-L4") == TARGET
    await expect(tab.locator("#file-hello-py-L7 + li.line-comments article.comment")).to_contain_text("Seen without scripts")
    await context.close()


async def test_a_far_line_of_a_6000_line_file_is_reached_by_its_anchor(browser, site, settings, signed_in, fake_github):
    add_big_gist(fake_github, big_js())
    await signed_in.post("/gists", {"url": BIG})
    context = await browser.new_context(base_url=settings.site_url)
    tab = await context.new_page()
    await tab.goto(f"/gists/{BIG}#file-big-js-L5000")
    await expect(tab.locator("#file-big-js-L5000")).to_be_in_viewport()
    await expect(tab.locator("#file-big-js-L5000")).to_contain_text("export const value4997 = (4997 * 31 + 7) % 1009;")
    assert await background(tab, "#file-big-js-L5000") == TARGET
    await context.close()
