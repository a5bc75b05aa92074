"""axe-core in Chromium over the main pages, in both themes, at phone and desktop widths: nothing serious."""

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.crafted import client_for, make_user
from tests.discussion import HELLO, comment, submit

THEMES = ("light", "dark")
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
# name -> (path, signed in?)
PAGES = {
    "home": ("/", True),
    "gist": (f"/gists/{HELLO}", True),
    "gist, anonymous": (f"/gists/{HELLO}", False),
    "submit": ("/gists/new", True),
    "login": ("/login", False),
    "account": ("/account", True),
    "tags": ("/tags", True),
    "people": ("/people", True),
    "search": ("/search?q=HelloHandler", True),
    "user": ("/users/ada", True),
    "error": ("/no/such/page", True),
    "api": ("/api", False),
}
SERIOUS = ("serious", "critical")
AXE = Axe()


async def seed(db, settings):
    """A gist with tags, an intro, a love, comments, a reply and a line comment; Ada's client."""
    ada = await make_user(db, "ada", display_name="Ada Lovelace")
    client = await client_for(settings, ada)
    response = await client.post("/gists", {"url": HELLO, "tags": "python, tornado", "intro": "Why *this* one."})
    assert response.code == 303, response.text
    first = await comment(client, "A comment with `code` and a [link](https://example.com).")
    await comment(client, "A reply.", parent=first)
    await comment(client, "On a line.", file="hello.py", line="6")
    assert (await client.post(f"/gists/{HELLO}/love")).code == 303
    return client


async def context_for(browser, settings, theme: str, client=None):
    context = await browser.new_context(base_url=settings.site_url)
    cookies = {**(client.cookies if client else {}), "theme": theme}
    await context.add_cookies([{"name": name, "value": value, "url": settings.site_url}
                               for name, value in cookies.items()])
    return context


def report(name: str, violations: list) -> list[str]:
    return [f"{name}: {v['id']} ({v['impact']}) {v['help']}: " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in violations if v["impact"] in SERIOUS]


@pytest.mark.timeout(90)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
async def test_main_pages_have_no_serious_accessibility_violation(browser, site, db, settings, theme, width):
    client = await seed(db, settings)
    tabs = {}
    for signed_in in (True, False):
        context = await context_for(browser, settings, theme, client if signed_in else None)
        tabs[signed_in] = await context.new_page()
        await tabs[signed_in].set_viewport_size(dict(zip(("width", "height"), WIDTHS[width])))
    found = []
    for name, (path, signed_in) in PAGES.items():
        tab = tabs[signed_in]
        await tab.goto(path)
        assert await tab.get_attribute("html", "data-theme") == theme, name
        results = await AXE.run(tab)
        found += report(f"{name} [{theme}, {width}]", results.response["violations"])
    print("\n".join(found) or f"axe found nothing serious ({theme}, {width})")
    assert found == [], "\n".join(found)
