"""In a real browser: download my data from the account page, then delete the account through the mailed link."""

import json
import re

from playwright.async_api import expect

from tests.discussion import HELLO, comment, submit
from tests.test_browser_discussion import page_as


async def test_download_my_data_then_delete_the_account_by_its_link(browser, site, settings, signed_in, outbox, db):
    await submit(signed_in)
    await comment(signed_in, "Soon gone")
    tab = await page_as(browser, settings, signed_in)
    await tab.goto("/account")
    async with tab.expect_download() as waiting:
        await tab.get_by_role("button", name="Download my data").click()
    download = await waiting.value
    assert download.suggested_filename == "tornadogists-ada.json"
    data = json.loads(open(await download.path()).read())
    assert [c["body"] for c in data["comments"]] == ["Soon gone"]

    await tab.get_by_label("Remove them").check()
    await tab.get_by_role("button", name="E-mail me a link to delete my account").click()
    await expect(tab.get_by_role("status")).to_contain_text("your account is deleted only when you open it")
    link = re.search(r"https?://\S+/account/delete/\S+", (await outbox.wait_for(2))[-1].get_content()).group(0)
    await tab.goto(link)
    assert await db.users.count_documents({"email": "ada@example.com"}) == 1
    await tab.get_by_role("button", name="Delete @ada").click()
    await expect(tab.get_by_role("status")).to_contain_text("Your account is deleted")
    assert await db.users.count_documents({"email": "ada@example.com"}) == 0
    await tab.goto(f"/gists/{HELLO}")
    await expect(tab.locator(".gist-meta, main").first).to_contain_text("submitted by [deleted]")
    await expect(tab.get_by_text("Soon gone")).to_have_count(0)
    await expect(tab.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
