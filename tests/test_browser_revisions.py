"""In a real browser: from a gist to its revisions, to what changed between two of them (issue 11)."""

import re

from playwright.async_api import expect

from tests.discussion import HELLO, submit
from tests.test_revisions import hello_py, refresh, with_line


async def test_a_reader_walks_from_a_gist_to_its_revisions_to_a_diff(page, signed_in, fake_github, db):
    await submit(signed_in)
    first = fake_github.gists[HELLO]["history"][0]["version"]
    second = fake_github.commit(HELLO, {"hello.py": with_line(hello_py(fake_github), 6, "class Hi(tornado.web.RequestHandler):")})
    await refresh(signed_in, db)

    await page.goto(f"/gists/{HELLO}")
    await page.get_by_role("link", name="revision 2 of 2").click()
    await expect(page).to_have_url(f"/gists/{HELLO}/revisions")
    await expect(page.locator(".revision-row")).to_have_count(2)
    await expect(page.locator(".revision-row").first).to_contain_text("current")

    await page.get_by_role("link", name="Compare with revision 1").click()
    await expect(page).to_have_url(f"/gists/{HELLO}/compare/{first}...{second}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Revision 1 → revision 2")
    removed, added = page.locator("tr.del").first, page.locator("tr.add").first
    await expect(removed).to_contain_text("HelloHandler")
    await expect(added).to_contain_text("class Hi(")
    number = "el => getComputedStyle(el, '::before').content"
    assert await removed.locator("td.num").first.evaluate(number) == '"6"'
    assert await added.locator("td.num").nth(1).evaluate(number) == '"6"'

    await page.get_by_role("link", name=first[:7]).click()
    await expect(page).to_have_url(re.compile(rf"/gists/{HELLO}/revisions/{first}$"))
    await expect(page.locator("#file-2-L6")).to_contain_text("HelloHandler")
