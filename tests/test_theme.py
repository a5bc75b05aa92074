"""Dark mode over HTTP: the switch, its cookie, pages rendered in the chosen theme, caches kept apart."""

import re
from pathlib import Path

from tests.client import Client
from tests.crafted import make_gist, make_user

GIST = "0123456789abcdef0123"
STATIC = Path(__file__).parent.parent / "static"
# The only colours site.css names itself: the feed icon, the current tab's line, GitHub's button.
SAME_IN_BOTH = {"#e8710a", "#fd8c73", "#24292f"}


def theme_of(page) -> str:
    return re.search(r'<html lang="en" data-theme="(\w+)">', page.text).group(1)


def pressed(page) -> list[str]:
    """The theme switch's buttons that show as chosen."""
    return re.findall(r'name="theme" value="(\w+)" aria-pressed="true"', page.text)


async def choose(client: Client, theme: str, origin: str, **data):
    # No form token: the form sits on pages shared by every anonymous visitor.
    return await client.post("/theme", {"theme": theme, **data}, xsrf=False, headers={"Origin": origin})


async def test_the_switch_keeps_the_theme_in_a_cookie_and_pages_show_it(client, settings):
    home = await client.get("/")
    assert theme_of(home) == "auto" and pressed(home) == ["auto"]
    response = await choose(client, "dark", settings.site_url, next="/tags?x=1")
    assert response.code == 303 and response.location == "/tags?x=1"
    assert client.cookies["theme"] == "dark"
    for path in ("/", "/tags", "/login", "/no-such-page"):
        page = await client.get(path)
        assert theme_of(page) == "dark" and pressed(page) == ["dark"], path
    # Auto is no cookie at all: the page is again the one every visitor shares.
    assert (await choose(client, "auto", settings.site_url)).location == "/"
    assert "theme" not in client.cookies and theme_of(await client.get("/")) == "auto"


async def test_site_js_gets_json_instead_of_a_redirect(client, settings):
    response = await client.post("/theme", {"theme": "light"}, xsrf=False,
                                 headers={"Origin": settings.site_url, "Accept": "application/json"})
    assert response.code == 200 and response.json() == {"theme": "light"}
    assert client.cookies["theme"] == "light"


async def test_a_form_from_another_site_cannot_change_the_theme(client, settings):
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {},
                    {"Referer": "https://evil.example/page"}):
        response = await client.post("/theme", {"theme": "dark"}, xsrf=False, headers=headers)
        assert response.code == 403, headers
        assert "only be changed from this site" in response.text
        assert "theme" not in client.cookies
    # Without an Origin, a Referer from one of our own pages is enough.
    response = await client.post("/theme", {"theme": "dark"}, xsrf=False,
                                 headers={"Referer": settings.site_url + "/tags"})
    assert response.code == 303 and client.cookies["theme"] == "dark"


async def test_bad_input_gets_a_clear_400_and_next_stays_on_this_site(client, settings):
    response = await choose(client, "purple", settings.site_url)
    assert response.code == 400 and "Choose a theme: auto, light or dark." in response.text
    for next_url in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = await choose(client, "dark", settings.site_url, next=next_url)
        assert response.code == 303 and response.location == "/", next_url


async def test_a_cookie_naming_no_theme_shows_the_automatic_one(client):
    client.cookies["theme"] = '"><script>alert(1)</script>'
    page = await client.get("/")
    assert page.code == 200 and theme_of(page) == "auto" and "<script>alert" not in page.text


async def test_anonymous_pages_cached_for_everyone_are_never_shown_in_another_theme(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "Themed")
    plain, dark = Client(settings.site_url), Client(settings.site_url)
    dark.cookies["theme"] = "dark"
    for path in (f"/gists/{GIST}", "/", "/tags"):
        first = await plain.get(path)          # the gist page is rendered once and kept in memory
        themed = await dark.get(path)
        assert theme_of(first) == "auto" and theme_of(themed) == "dark", path
        assert theme_of(await plain.get(path)) == "auto", path
        # A shared cache keeps a copy per cookie, and one theme's ETag is no match for another.
        assert "Cookie" in themed.headers["Vary"] and themed.headers["Etag"] != first.headers["Etag"], path
        answer = await dark.get(path, headers={"If-None-Match": first.headers["Etag"]})
        assert answer.code == 200 and theme_of(answer) == "dark", path
        assert (await dark.get(path, headers={"If-None-Match": themed.headers["Etag"]})).code == 304, path
    plain.close()
    dark.close()


def _declarations(block: str) -> list[str]:
    return sorted(d.strip() for d in block.split(";") if d.strip())


def test_the_dark_palette_is_the_same_for_the_dark_theme_and_auto_on_a_dark_system():
    css = (STATIC / "palette.css").read_text()
    dark = re.search(r"^\[data-theme=dark\] \{(.*?)\}", css, re.M | re.S).group(1)
    auto = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*\[data-theme=auto\] \{(.*?)\}", css, re.S).group(1)
    light = re.search(r"^:root, \[data-theme=light\] \{(.*?)\}", css, re.M | re.S).group(1)
    assert _declarations(dark) == _declarations(auto)
    # Both palettes name the same colours; every colour the stylesheet uses is one of them.
    names = {d.split(":")[0] for d in _declarations(dark)}
    assert names == {d.split(":")[0] for d in _declarations(light)}
    site = (STATIC / "site.css").read_text()
    assert set(re.findall(r"var\((--[\w-]+)\)", site)) <= names | {"--radius", "--mono"}
    assert set(re.findall(r"#[0-9a-f]{3,6}\b", site, re.I)) <= SAME_IN_BOTH
