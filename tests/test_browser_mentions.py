"""In a real browser: a comment that mentions someone links to them; its task list cannot be ticked."""

import re

from playwright.async_api import expect

from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.test_browser_discussion import page_as

BODY = """Thanks @carol :tada:

- [x] tested on Python 3.13
- [ ] documented

> Quoted from the docs.

```python
@gen.coroutine
def get(self):
    return 1
```"""


async def test_a_comment_mentioning_someone_links_to_their_page(browser, site, settings, signed_in, person):
    await submit(signed_in)
    await person("carol@example.com")
    tab = await page_as(browser, settings, await person("bob@example.com"))
    await tab.goto(f"/gists/{HELLO}")
    form = tab.locator("#discussion form.comment-form").first
    await form.locator("textarea").fill(BODY)
    await form.get_by_role("button", name="Preview").click()
    await expect(form.locator(".preview a", has_text="@carol")).to_have_attribute("href", "/users/carol")
    await form.get_by_role("button", name="Write").click()
    await form.get_by_role("button", name="Comment", exact=True).click()
    await expect(tab).to_have_url(re.compile(rf"/gists/{HELLO}#comment-[0-9a-f]{{24}}$"))

    body = tab.locator("article.comment .comment-body").last
    await expect(body).to_contain_text("Thanks @carol 🎉")
    boxes = body.locator("input[type=checkbox]")
    await expect(boxes).to_have_count(2)
    await expect(boxes.first).to_be_disabled()
    await expect(boxes.first).to_be_checked()
    await expect(body.locator(".highlight .k", has_text="def")).to_be_visible()
    await body.get_by_role("link", name="@carol").click()
    await expect(tab).to_have_url(re.compile(r"/users/carol$"))
    await expect(tab.locator("h1")).to_contain_text("carol")
    await tab.context.close()


async def test_the_comment_box_offers_the_handles_of_the_people_in_the_thread(browser, site, settings, signed_in,
                                                                             person):
    await submit(signed_in)
    carol = await person("carol@example.com")
    await comment(carol, "First!")
    await comment(await person("cary@example.com"), "Second.")
    tab = await page_as(browser, settings, await person("bob@example.com"))
    await tab.goto(f"/gists/{HELLO}")
    textarea = tab.get_by_role("textbox", name="Comment (Markdown)")
    await textarea.press_sequentially("Thanks @ca")
    options = tab.get_by_role("listbox", name="People to mention").get_by_role("option")
    await expect(options).to_have_text(["@cary", "@carol"])   # the latest first
    await textarea.press("ArrowDown")
    await expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    await textarea.press("Enter")
    await expect(textarea).to_have_value("Thanks @carol ")
    await expect(options).to_have_count(0)
    await textarea.press_sequentially("and @nobody")
    await expect(tab.get_by_role("listbox", name="People to mention")).to_be_hidden()
    await tab.context.close()
