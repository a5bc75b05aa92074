"""In a real browser on a phone's width: the one-row header, soft wrap remembered, a long file's far lines."""

from playwright.async_api import expect

from tests.discussion import HELLO, submit
from tests.test_big_files import BIG, add_big_gist, big_js
from tests.test_browser_code import TARGET, background
from tests.test_browser_discussion import page_as

PHONE = {"width": 390, "height": 844}


async def phone(browser, settings, **options):
    context = await browser.new_context(base_url=settings.site_url, viewport=PHONE, **options)
    return context, await context.new_page()


async def test_the_phone_header_is_one_row_and_its_menu_and_search_open_from_the_keyboard(browser, site, settings, signed_in):
    await submit(signed_in)
    context, tab = await phone(browser, settings)
    await tab.goto(f"/gists/{HELLO}")
    header = tab.locator(".site-header")
    assert (await header.bounding_box())["height"] <= 56
    latest = tab.locator(".site-header").get_by_role("link", name="Latest")
    await expect(latest).to_be_hidden()
    # The first line of code is on the first screen.
    first = (await tab.locator("section.file").first.locator("ol.code > li[id], .rendered").first.bounding_box())
    assert first["y"] < PHONE["height"]
    menu = tab.get_by_role("button", name="Menu")
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await menu.focus()
    await tab.keyboard.press("Enter")
    await expect(menu).to_have_attribute("aria-expanded", "true")
    await expect(latest).to_be_visible()
    await expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    await tab.keyboard.press("Escape")
    await expect(latest).to_be_hidden()
    await expect(menu).to_be_focused()
    await tab.get_by_role("button", name="Search").click()
    await expect(tab.get_by_label("Search gists")).to_be_focused()
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await context.close()


async def test_without_javascript_the_phone_header_shows_its_links(browser, site, settings):
    context, tab = await phone(browser, settings, java_script_enabled=False)
    await tab.goto("/")
    await expect(tab.locator(".site-header").get_by_role("link", name="Tags")).to_be_visible()
    await expect(tab.get_by_label("Search gists")).to_be_visible()
    await expect(tab.get_by_role("button", name="Menu")).to_be_hidden()
    await context.close()


async def test_soft_wrap_is_remembered_after_a_reload(browser, site, settings, signed_in, fake_github):
    add_big_gist(fake_github, big_js().replace("// line 4\n", "// line 4" + " and on" * 80 + "\n"))
    await signed_in.post("/gists", {"url": BIG})
    context, tab = await phone(browser, settings)
    await tab.goto(f"/gists/{BIG}")
    line = tab.locator("#file-1-L4")
    one_row = (await tab.locator("#file-1-L5").bounding_box())["height"]
    wrap = tab.get_by_role("button", name="Wrap")
    await expect(wrap).to_have_attribute("aria-pressed", "false")
    await wrap.click()
    assert (await line.bounding_box())["height"] > 3 * one_row
    await tab.reload()
    await expect(tab.get_by_role("button", name="Wrap")).to_have_attribute("aria-pressed", "true")
    assert (await line.bounding_box())["height"] > 3 * one_row
    await tab.get_by_role("button", name="Wrap").click()
    await tab.reload()
    await expect(tab.get_by_role("button", name="Wrap")).to_have_attribute("aria-pressed", "false")
    assert (await line.bounding_box())["height"] == one_row
    await context.close()


async def test_a_long_files_far_lines_come_when_linked_scrolled_to_or_without_scripts(
        browser, site, settings, signed_in, fake_github):
    add_big_gist(fake_github, big_js())
    await signed_in.post("/gists", {"url": BIG})
    context, tab = await phone(browser, settings)
    await tab.goto(f"/gists/{BIG}#file-big-js-L5900")   # GitHub's form, opened cold
    await expect(tab.locator("#file-1-L5900")).to_be_in_viewport()
    assert await background(tab, "#file-1-L5900") == TARGET
    await tab.goto(f"/gists/{BIG}")
    assert await tab.locator("#file-1-L5900").count() == 0   # not laid out until wanted
    await tab.locator("section.file").evaluate("el => el.scrollIntoView({block: 'end'})")
    await expect(tab.locator("#file-1-L5900")).to_have_count(1)
    await context.close()
    context, tab = await phone(browser, settings, java_script_enabled=False)
    await tab.goto(f"/gists/{BIG}#file-1-L5900")
    await expect(tab.locator("#file-1-L5900")).to_be_in_viewport()
    assert await background(tab, "#file-1-L5900") == TARGET
    await context.close()


async def test_submitting_a_gist_says_it_is_importing_and_is_sent_once(browser, site, settings, signed_in):
    tab = await page_as(browser, settings, signed_in)
    posts = []
    tab.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    await tab.goto("/gists/new")
    await tab.get_by_label("Gist URL or id").fill(HELLO)
    # Sent twice in one go, as a double click does; the state read before the next page arrives.
    state = await tab.evaluate("""() => {
        const form = document.querySelector("form[data-busy]"), button = form.querySelector("button[type=submit]");
        form.requestSubmit(button);
        form.requestSubmit(button);
        return new Promise((done) => setTimeout(() => done([button.disabled, button.textContent,
                                                           form.getAttribute("aria-busy")]), 0));
    }""")
    assert state == [True, "Importing…", "true"]
    await expect(tab).to_have_url(f"{settings.site_url}/gists/{HELLO}")
    assert [url for url in posts if url.endswith("/gists")] == [f"{settings.site_url}/gists"]
    await tab.go_back()
    await expect(tab.get_by_role("button", name="Import from GitHub")).to_be_enabled()
    await tab.context.close()
