"""In Chromium, on a blog of another origin: the script writes the gist, the iframe shows it, the theme follows."""

import pytest_asyncio
import tornado.httpserver
import tornado.testing
import tornado.web
from playwright.async_api import expect

from tests.crafted import make_gist, make_user
from tests.discussion import HELLO, submit
from tests.test_browser_a11y import AXE, report
from tests.test_browser_csp import WATCH
from tests.test_embeds import BREAKOUT, GIST, XSS

WHITE, DARK = "rgb(255, 255, 255)", "rgb(13, 17, 23)"


class Blog:
    """Another site (another port: another origin) serving the pages a test gives it."""

    def __init__(self):
        self.pages: dict[str, str] = {}
        self.base_url = ""

    def page(self, name: str, body: str) -> str:
        self.pages[name] = f"<!doctype html><html lang=en><head><title>A blog</title></head><body>{body}</body></html>"
        return f"{self.base_url}/{name}"


class BlogPageHandler(tornado.web.RequestHandler):
    def get(self, name):
        self.write(self.settings["blog"].pages[name])


@pytest_asyncio.fixture
async def blog():
    sock, port = tornado.testing.bind_unused_port()
    found = Blog()
    found.base_url = f"http://127.0.0.1:{port}"
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/(\w+)", BlogPageHandler)], blog=found))
    server.add_sockets([sock])
    yield found
    server.stop()


async def blog_tab(browser, scheme: str = "light"):
    context = await browser.new_context(color_scheme=scheme)
    await context.add_init_script(WATCH)   # in every frame: CSP refusals are recorded
    return await context.new_page()


async def background(locator) -> str:
    return await locator.evaluate("el => getComputedStyle(el).backgroundColor")


async def test_the_script_writes_the_gist_where_it_stands_on_another_sites_page(browser, blog, signed_in, settings):
    await submit(signed_in)
    tab = await blog_tab(browser)
    await tab.goto(blog.page("post", f'<h1>My post</h1><script src="{settings.site_url}/gists/{HELLO}.js"></script>'
                                     '<p id="after">The end.</p>'))
    embed = tab.locator("div.tg-embed")
    await expect(embed).to_have_count(1)
    assert await tab.evaluate("document.getElementById('after').previousElementSibling.className") == \
        "tg-embed tg-auto"
    await expect(embed.locator(".tg-file")).to_have_count(2)
    await expect(embed.locator("h1")).to_have_text("Hello, Tornado")   # README.md, rendered
    await expect(embed.locator("ol.tg-code")).to_contain_text("class HelloHandler(tornado.web.RequestHandler):")
    back = embed.locator("a.tg-back")
    await expect(back).to_have_text("Hello, Tornado")
    assert await back.get_attribute("href") == f"{settings.site_url}/gists/{HELLO}"
    assert await background(embed) == WHITE
    assert await tab.evaluate("window.refused") == []
    await back.click()
    await expect(tab).to_have_url(f"{settings.site_url}/gists/{HELLO}")
    await tab.context.close()


async def test_auto_follows_the_readers_setting_and_a_chosen_theme_stays(browser, blog, signed_in, settings):
    await submit(signed_in)
    script = f"{settings.site_url}/gists/{HELLO}.js?file=hello.py"
    url = blog.page("themes", f'<div id="auto"><script src="{script}"></script></div>'
                              f'<div id="light"><script src="{script}&theme=light"></script></div>'
                              f'<div id="dark"><script async src="{script}&theme=dark"></script></div>')
    for scheme, auto in (("light", WHITE), ("dark", DARK)):
        tab = await blog_tab(browser, scheme)
        await tab.goto(url)
        await expect(tab.locator(".tg-embed")).to_have_count(3)   # the async one too
        assert await background(tab.locator("#auto .tg-embed")) == auto
        assert await background(tab.locator("#light .tg-embed")) == WHITE
        assert await background(tab.locator("#dark .tg-embed")) == DARK
        # One copy of each theme's styles however many embeds use it.
        assert await tab.locator("style[id^=tg-embed-css-]").count() == 3
        await tab.context.close()


async def test_markup_in_a_gist_stays_text_in_both_embeds(browser, blog, signed_in, db, settings):
    await submit(signed_in, XSS)   # <script> and onerror= in its description, a file name, Markdown
    await make_gist(db, GIST, await make_user(db, "bob"), "Breakout", files={"break.js": BREAKOUT})
    tab = await blog_tab(browser)
    dialogs = []
    tab.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    site = settings.site_url
    await tab.goto(blog.page("xss", f'<div id="break"><script src="{site}/gists/{GIST}.js"></script></div>'
                                    f'<script src="{site}/gists/{XSS}.js"></script>'
                                    f'<iframe src="{site}/gists/{GIST}/embed"></iframe>'
                                    f'<iframe src="{site}/gists/{XSS}/embed"></iframe>'))
    line = "1" + BREAKOUT.rstrip("\n")   # its number, then the line, as text
    await expect(tab.locator("#break .tg-embed ol.tg-code")).to_have_text(line)
    await expect(tab.locator(".tg-embed")).to_have_count(2)
    await expect(tab.frame_locator("iframe").first.locator("ol.tg-code")).to_have_text(line)
    await expect(tab.frame_locator("iframe").last.locator(".tg-back")).to_have_text('<script>alert("desc")</script>')
    await tab.wait_for_load_state("load")
    assert dialogs == []
    assert [await frame.evaluate("window.broke") for frame in tab.frames] == [None, None, None]
    await tab.context.close()


async def test_the_embed_page_shows_in_a_frame_where_the_gist_page_is_refused(browser, blog, signed_in, settings):
    await submit(signed_in)
    tab = await blog_tab(browser, "dark")
    await tab.goto(blog.page("frames", f'<iframe id="embed" src="{settings.site_url}/gists/{HELLO}/embed?theme=auto">'
                                       f'</iframe><iframe id="page" src="{settings.site_url}/gists/{HELLO}"></iframe>'))
    embed = tab.frame_locator("#embed")
    await expect(embed.locator("ol.tg-code")).to_contain_text("class HelloHandler")
    assert await background(embed.locator(".tg-embed")) == DARK
    frames = {frame.name or frame.url: frame for frame in tab.frames}
    framed = next(frame for frame in tab.frames if frame.url.endswith("/embed?theme=auto"))
    assert await framed.evaluate("window.refused") == []   # its stylesheet and everything else allowed
    refused = [frame for frame in tab.frames if frame.url.startswith("chrome-error://")]
    assert len(refused) == 1, list(frames)   # the gist page itself: frame-ancestors 'none'
    await embed.locator("a.tg-back").click()   # links open in the page around the frame
    await expect(tab).to_have_url(f"{settings.site_url}/gists/{HELLO}")
    await tab.context.close()


async def test_the_copy_button_copies_a_snippet(browser, signed_in, settings):
    await submit(signed_in)
    context = await browser.new_context(base_url=settings.site_url)
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=settings.site_url)
    tab = await context.new_page()
    await tab.goto(f"/gists/{HELLO}")
    await tab.get_by_text("Embed", exact=True).click()
    await tab.locator('button[data-copy="embed-script"]').click()
    await expect(tab.locator(".embed-status")).to_have_text("Copied the script snippet.")
    copied = await tab.evaluate("navigator.clipboard.readText()")
    assert copied == f'<script src="{settings.site_url}/gists/{HELLO}.js"></script>'
    await context.close()


async def test_axe_finds_nothing_serious_in_the_embeds_or_the_embed_control(browser, blog, signed_in, settings):
    await submit(signed_in)
    site = settings.site_url
    found = []
    for scheme in ("light", "dark"):
        tab = await blog_tab(browser, scheme)
        await tab.goto(blog.page("axe", f'<main><script src="{site}/gists/{HELLO}.js"></script></main>'))
        found += report(f"script [{scheme}]", (await AXE.run(tab, context=".tg-embed")).response["violations"])
        for theme in ("auto", "light", "dark"):
            await tab.goto(f"{site}/gists/{HELLO}/embed?theme={theme}")
            found += report(f"frame {theme} [{scheme}]", (await AXE.run(tab)).response["violations"])
        await tab.context.add_cookies([{"name": "theme", "value": scheme, "url": site}])
        await tab.goto(f"{site}/gists/{HELLO}")
        await tab.get_by_text("Embed", exact=True).click()
        found += report(f"control [{scheme}]", (await AXE.run(tab, context="details.embed")).response["violations"])
        await tab.context.close()
    assert found == [], "\n".join(found)
