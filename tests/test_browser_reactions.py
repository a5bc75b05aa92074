"""In a real browser: reacting to a comment and editing it in place, both without a reload, seen live by another."""

from playwright.async_api import expect

from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.test_browser_discussion import page_as


async def test_reacting_and_editing_in_place_without_a_reload(browser, site, settings, signed_in, person):
    await submit(signed_in)
    cid = await comment(signed_in, "First *draft*")
    writer = await page_as(browser, settings, signed_in)
    reader = await page_as(browser, settings, await person("bob@example.com"))
    for tab in (writer, reader):
        await tab.goto(f"/gists/{HELLO}")
        await tab.evaluate("window.stillTheSamePage = true")
    mine, theirs = writer.locator(f"#comment-{cid}"), reader.locator(f"#comment-{cid}")

    await reader.locator(f"#comment-{cid} .react-add summary").click()
    await theirs.get_by_role("button", name="rocket").click()
    chip = theirs.locator(".reaction", has_text="🚀")
    await expect(chip).to_have_attribute("aria-pressed", "true")
    await expect(chip.locator(".reaction-count")).to_have_text("1")
    await chip.focus()   # who reacted shows on focus, and is part of the button's name
    await expect(chip.locator(".reaction-who")).to_be_visible()
    await expect(chip).to_have_accessible_name("1 rocket: bob")
    await expect(mine.locator(".reaction", has_text="🚀")).to_contain_text("rocket: bob")   # live, to the writer
    await mine.locator(".reaction", has_text="🚀").click()   # the writer joins in with the chip
    await expect(theirs.locator(".reaction-count")).to_have_text("2")

    await mine.get_by_role("link", name="Edit", exact=True).click()
    editor = mine.locator(".edit-in-place textarea")
    await expect(editor).to_have_value("First *draft*")
    await expect(editor).to_be_focused()
    await editor.fill("Second **draft**")
    await mine.locator(".edit-in-place").get_by_role("button", name="Save").click()
    await expect(mine.locator(".comment-body strong")).to_have_text("draft")
    await expect(mine.locator(".edit-in-place")).to_have_count(0)
    await expect(theirs.locator(".comment-body strong")).to_have_text("draft")
    await expect(theirs.locator(".comment-head .edited")).to_be_visible()
    await expect(theirs.locator(".reaction-count")).to_have_text("2")   # an edit keeps the reactions

    await mine.get_by_role("link", name="Edit", exact=True).click()
    await mine.locator(".edit-in-place textarea").fill("   ")
    await mine.locator(".edit-in-place").get_by_role("button", name="Save").click()
    await expect(mine.locator(".edit-in-place [role=alert]")).to_contain_text("the comment is empty")
    await mine.locator(".edit-in-place").get_by_role("button", name="Cancel").click()
    await expect(mine.locator(".comment-body")).to_contain_text("Second draft")
    for tab in (writer, reader):
        assert await tab.evaluate("window.stillTheSamePage") is True
    await writer.context.close()
    await reader.context.close()
