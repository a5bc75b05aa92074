"""In a real browser: line anchors (GitHub's too) and ranges, the comment box under a line's "+", line comments under their lines."""

import re

from playwright.async_api import expect

from tests.discussion import HELLO, comment, submit
from tests.test_big_files import BIG, add_big_gist, big_js
from tests.test_browser_discussion import page_as

TARGET = "rgb(255, 248, 197)"   # ol.code > li:target


async def background(page, selector: str) -> str:
    return await page.locator(selector).evaluate("el => getComputedStyle(el).backgroundColor")


async def test_a_line_number_links_and_the_plus_opens_a_box_under_its_line_and_the_comment_stays_there(
        browser, site, settings, signed_in):
    await submit(signed_in)
    tab = await page_as(browser, settings, signed_in)
    await tab.goto(f"/gists/{HELLO}#file-2-L3")   # a link by the file's position: shown as GitHub writes it
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L3")
    await expect(tab.locator("#file-2-L3")).to_be_in_viewport()
    assert await background(tab, "#file-2-L3") == TARGET
    assert await background(tab, "#file-2-L4") != TARGET

    await tab.locator('#file-hello-py a[href="#file-2-L5"]').click()
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L5")
    assert await background(tab, "#file-2-L5") == TARGET
    assert await background(tab, "#file-2-L3") != TARGET
    assert await tab.locator("li.line-form").count() == 0   # a number is a link, not a comment box
    await tab.get_by_role("link", name="Line 5", exact=True).focus()
    await tab.keyboard.press("Tab")   # from the focused number to its line's "+"
    await expect(tab.get_by_role("button", name="Comment on line 5")).to_be_focused()
    await tab.keyboard.press("Enter")
    box = tab.locator("#file-2-L5 + li.line-form")
    await expect(box.locator("textarea")).to_be_focused()
    assert await box.locator("input[name=file]").input_value() == "hello.py"
    assert await box.locator("input[name=line]").input_value() == "5"
    await box.locator("textarea").fill("Why **five**?")
    await box.get_by_role("button", name="Comment on this line").click()
    await expect(tab).to_have_url(re.compile(rf"/gists/{HELLO}#comment-[0-9a-f]{{24}}$"))
    await expect(tab.locator("#file-2-L5 + li.line-comments article.comment")).to_contain_text("Why five?")
    # The lines after it keep their numbers: the comments' item is not counted.
    await expect(tab.locator("#file-2-L6 > a")).to_have_text("6")
    await expect(tab.get_by_role("link", name="Line 6", exact=True)).to_have_attribute("href", "#file-2-L6")
    assert await tab.locator("#file-2-L6").evaluate("el => el.previousElementSibling.className") == "line-comments"
    await tab.context.close()


async def test_anchors_and_line_comments_work_without_javascript(browser, site, settings, signed_in):
    await submit(signed_in)
    await comment(signed_in, "Seen without scripts", file="hello.py", line="7")
    context = await browser.new_context(base_url=settings.site_url, java_script_enabled=False)
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}#file-2-L3")
    await expect(tab.locator("#file-2-L3")).to_be_in_viewport()
    assert await background(tab, "#file-2-L3") == TARGET
    await tab.locator("#file-hello-py").get_by_role("link", name="4", exact=True).click()   # named by its number
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-2-L4")
    assert await background(tab, "#file-2-L4") == TARGET
    await expect(tab.locator("#file-2-L7 + li.line-comments article.comment")).to_contain_text("Seen without scripts")
    await tab.goto(f"/gists/{HELLO}#file-hello-py")   # GitHub's anchor of a file
    await expect(tab.locator("#file-hello-py")).to_be_in_viewport()
    await context.close()


async def test_a_far_line_of_a_6000_line_file_is_reached_by_its_anchor(browser, site, settings, signed_in, fake_github):
    add_big_gist(fake_github, big_js())
    await signed_in.post("/gists", {"url": BIG})
    context = await browser.new_context(base_url=settings.site_url)
    tab = await context.new_page()
    await tab.goto(f"/gists/{BIG}#file-1-L5000")
    await expect(tab.locator("#file-1-L5000")).to_be_in_viewport()
    await expect(tab.locator("#file-1-L5000")).to_contain_text("export const value4997 = (4997 * 31 + 7) % 1009;")
    assert await background(tab, "#file-1-L5000") == TARGET
    await tab.goto(f"/gists/{BIG}#file-big-js-L5900")   # GitHub's form of the anchor, opened cold
    await expect(tab.locator("#file-1-L5900")).to_be_in_viewport()
    assert await background(tab, "#file-1-L5900") == TARGET
    await context.close()


async def test_github_ranges_and_old_position_links_land_on_their_lines(browser, site, settings, signed_in):
    await submit(signed_in)
    context = await browser.new_context(base_url=settings.site_url)
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}#file-hello-py-L4-L6")
    await expect(tab.locator("#file-2-L4")).to_be_in_viewport()
    assert [await background(tab, f"#file-2-L{n}") == TARGET for n in range(3, 8)] == [
        False, True, True, True, False]
    await tab.locator("#file-hello-py").get_by_role("link", name="Line 2", exact=True).click()
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L2")
    await tab.locator("#file-hello-py").get_by_role("link", name="Line 5", exact=True).click(modifiers=["Shift"])
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L2-L5")
    assert [await background(tab, f"#file-2-L{n}") == TARGET for n in range(1, 7)] == [
        False, True, True, True, True, False]
    await tab.goto(f"/gists/{HELLO}#file-2-L3")   # a link by the file's position, as before
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-hello-py-L3")
    assert await background(tab, "#file-2-L3") == TARGET
    await tab.goto(f"/gists/{HELLO}#file-1")
    await expect(tab).to_have_url(f"/gists/{HELLO}#file-readme-md")
    await context.close()


async def test_copying_lines_gives_back_their_source_exactly(browser, site, settings, signed_in, fake_github):
    await submit(signed_in)
    await comment(signed_in, "A comment under line 3", file="hello.py", line="3")
    source = fake_github.gists[HELLO]["files"]["hello.py"]["content"]
    context = await browser.new_context(base_url=settings.site_url, permissions=["clipboard-read", "clipboard-write"])
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}")
    lines = source.splitlines()
    assert "" in lines[:11]   # blank lines are among them
    for first, last in ((1, 11), (2, 4), (3, 9)):
        await tab.evaluate("""([first, last]) => {
            const range = document.createRange();
            range.setStartBefore(document.getElementById(`file-2-L${first}`).firstChild);
            const end = document.getElementById(`file-2-L${last}`);
            range.setEndAfter(end.lastChild || end);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""", [first, last])
        await tab.keyboard.press("Control+C")
        assert await tab.evaluate("navigator.clipboard.readText()") == "\n".join(lines[first - 1:last])
    button = tab.locator("#file-hello-py").get_by_role("button", name="Copy hello.py")
    await button.focus()
    await tab.keyboard.press("Enter")   # the keyboard's way
    await expect(button).to_have_text("Copied")
    assert await tab.evaluate("navigator.clipboard.readText()") == source
    await context.close()


async def test_a_code_block_in_a_comment_has_its_copy_button(browser, site, settings, signed_in):
    await submit(signed_in)
    await comment(signed_in, "Try this:\n\n```python\nprint('hi')\n\nprint('there')\n```\n")
    context = await browser.new_context(base_url=settings.site_url, permissions=["clipboard-read", "clipboard-write"])
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}")
    button = tab.get_by_role("button", name="Copy this code")
    await button.click()
    await expect(button).to_have_text("Copied")
    assert await tab.evaluate("navigator.clipboard.readText()") == "print('hi')\n\nprint('there')\n"
    await context.close()
