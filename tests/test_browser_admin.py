"""In a real browser: a reader reports a comment with the Report form; an admin works the report queue."""

from playwright.async_api import expect

from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, established, give_standing, report_all
from tests.test_browser_discussion import page_as


async def test_a_report_reaches_the_queue_and_an_admin_removes_the_comment(browser, site, settings, signed_in,
                                                                           person, db):
    admin_client, bob, others = await person(ADMIN), await person("bob@example.com"), await established(db, settings, 2)
    await submit(signed_in)
    await give_standing(db, await db.users.find_one({"email": "ada@example.com"}))   # the reader's report weighs 1
    cid = await comment(bob, "Cheap watches, visit my shop")

    reader = await page_as(browser, settings, signed_in)
    await reader.goto(f"/gists/{HELLO}")
    control = reader.locator(f"#comment-{cid} details.report")
    await control.locator("summary").click()
    await control.get_by_label("Spam").check()
    await control.get_by_label("Note for the moderators").fill("An advert")
    await control.get_by_role("button", name="Send report").click()
    await expect(reader.locator("h1")).to_have_text("Thank you")
    await report_all(others, comment_id=cid)   # the third reporter hides it

    admin = await page_as(browser, settings, admin_client)
    await admin.goto("/admin")
    await admin.get_by_role("link", name="1 reported items").click()
    card = admin.locator(f"#item-{cid}")
    await expect(card).to_contain_text("3 reports")
    await expect(card).to_contain_text("An advert")
    await expect(card.locator(".badge.review")).to_have_text("hidden: reports")
    await card.get_by_label("Reason").fill("advertising")
    await card.get_by_role("button", name="Remove").click()
    await expect(admin.locator(".empty")).to_have_text("No open reports.")

    await admin.get_by_role("link", name="Log").click()
    await expect(admin.locator("table.log tbody tr").first).to_contain_text("remove")
    await expect(admin.locator("table.log tbody tr").first).to_contain_text("advertising")
    await reader.goto(f"/gists/{HELLO}")
    await expect(reader.locator(f"#comment-{cid}")).to_have_count(0)   # deleted, and nobody had replied
    await expect(reader.locator("#discussion")).not_to_contain_text("Cheap watches")
    assert (await db.comments.find_one({"author.handle": "bob"}))["deleted"] is True
