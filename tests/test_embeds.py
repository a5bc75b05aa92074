"""Embeds: the script and the iframe page, from memory, one file or all, in a theme; framable only there."""

import html
import json
import re

import pytest

from tests.client import Client
from tests.crafted import make_gist, make_user
from tests.discussion import HELLO, comment, submit
from tests.test_headers import policy
from tornadogists.text.embeds import snippets

XSS = "cc7c537f83c0650ad3af"   # a description, file names and code holding <script> (fixtures)
GIST = "0123456789abcdef0123"
BREAKOUT = 'var s = "</script><script>window.broke = true</script>";\n'
JS = "application/javascript; charset=utf-8"


def literal_html(script: str) -> str:
    """The HTML a script answer writes, read back from its string literals (JSON, with \\u escapes)."""
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', script))


async def test_the_script_writes_every_file_with_a_link_back_and_is_cacheable(signed_in, settings):
    await submit(signed_in)
    answer = await Client(settings.site_url).get(f"/gists/{HELLO}.js")
    assert answer.code == 200
    assert answer.headers["Content-Type"] == JS
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in answer.headers and "Vary" not in answer.headers
    assert "<" not in answer.text   # every < is \u003c: nothing in it can close a <script> element
    written = literal_html(answer.text)
    assert 'class="tg-embed tg-auto"' in written
    assert "HelloHandler" in written and "<h1>Hello, Tornado</h1>" in written   # both files
    assert f'href="{settings.site_url}/gists/{HELLO}"' in written
    assert f'<a class="tg-name" href="{settings.site_url}/gists/{HELLO}#file-hello-py">hello.py</a>' in written
    assert "<li id=file-2-L1><a aria-hidden=true data-href=#file-2-L1>1</a>" in written and "<a href=#" not in written
    assert "document.currentScript" in answer.text and "insertAdjacentHTML" in answer.text


async def test_a_repeated_request_gets_a_304(signed_in, settings):
    await submit(signed_in)
    first = await signed_in.get(f"/gists/{HELLO}.js?theme=dark")
    again = await signed_in.get(f"/gists/{HELLO}.js?theme=dark", headers={"If-None-Match": first.headers["Etag"]})
    assert again.code == 304
    other = await signed_in.get(f"/gists/{HELLO}.js?theme=light", headers={"If-None-Match": first.headers["Etag"]})
    assert other.code == 200


async def test_an_embed_changes_when_its_gist_does(signed_in, settings):
    await submit(signed_in)
    before = await signed_in.get(f"/gists/{HELLO}.js")
    await comment(signed_in, "A first comment")
    after = await signed_in.get(f"/gists/{HELLO}.js", headers={"If-None-Match": before.headers["Etag"]})
    assert after.code == 200
    assert "1 comment<" in literal_html(after.text) and "0 comments<" in literal_html(before.text)


async def test_an_unchanged_embed_is_served_without_the_database(site, db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "Served from memory", files={"a.py": "print('a')\n", "b.py": "print('b')\n"})
    visitor = Client(settings.site_url)
    assert (await visitor.get(f"/gists/{GIST}.js")).code == 200
    await site.client.close()   # every query now fails
    for path in (f"/gists/{GIST}.js?theme=dark", f"/gists/{GIST}.js?file=b.py", f"/gists/{GIST}/embed?theme=light"):
        answer = await visitor.get(path)
        assert answer.code == 200, path
        assert "Served from memory" in (answer.text if "/embed" in path else literal_html(answer.text))


async def test_file_shows_one_file_and_an_unknown_one_is_a_404(signed_in, settings):
    await submit(signed_in)
    one = literal_html((await signed_in.get(f"/gists/{HELLO}.js?file=hello.py")).text)
    assert "HelloHandler" in one and "Hello, Tornado</h1>" not in one
    page = await signed_in.get(f"/gists/{HELLO}/embed?file=README.md")
    assert "<h1>Hello, Tornado</h1>" in page.text and "HelloHandler" not in page.text
    for path in (f"/gists/{HELLO}.js?file=nope.py", f"/gists/{HELLO}.js?file=", f"/gists/{HELLO}/embed?file=nope.py"):
        answer = await signed_in.get(path)
        assert answer.code == 404, path
        assert "This gist has no file by that name." in answer.text


async def test_the_theme_is_chosen_and_a_bad_one_is_a_400(signed_in):
    await submit(signed_in)
    dark = await signed_in.get(f"/gists/{HELLO}.js?theme=dark")
    assert 'class="tg-embed tg-dark"' in literal_html(dark.text)
    assert ".tg-embed.tg-dark{color-scheme:dark;--tg-bg:#0d1117" in literal_html(dark.text)
    assert "prefers-color-scheme" not in dark.text
    auto = literal_html((await signed_in.get(f"/gists/{HELLO}.js")).text)
    assert "@media (prefers-color-scheme:dark){\n.tg-embed.tg-auto{color-scheme:dark" in auto
    page = await signed_in.get(f"/gists/{HELLO}/embed?theme=light")
    assert '<div class="tg-embed tg-light">' in page.text and 'href="/embeds/light.css?v=' in page.text
    for path in (f"/gists/{HELLO}.js?theme=purple", f"/gists/{HELLO}/embed?theme=DARK"):
        answer = await signed_in.get(path)
        assert answer.code == 400, path
        assert "The theme must be light, dark or auto." in answer.text
    for path in (f"/gists/{HELLO}.js?theme=%C0%AF", f"/gists/{HELLO}/embed?theme=%FE%FF"):   # not UTF-8
        answer = await signed_in.get(path)
        assert answer.code == 400 and "Traceback" not in answer.text, path


async def test_an_unknown_or_hidden_gist_is_a_404_and_the_script_one_is_still_javascript(site, db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "Hidden by an admin", hidden=["admin"])
    for gist_id in ("999999999999", GIST):
        script = await client.get(f"/gists/{gist_id}.js")
        assert script.code == 404
        assert script.headers["Content-Type"] == JS
        assert script.text == "/* TornadoGists: 404 Not Found. There is no such gist here. */\n"
        page = await client.get(f"/gists/{gist_id}/embed")
        assert page.code == 404 and "There is no such gist here." in page.text
        assert "Hidden by an admin" not in page.text


async def test_script_in_a_file_stays_text(site, db, client, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "</script> inside", files={"break.js": BREAKOUT})
    script = await client.get(f"/gists/{GIST}.js")
    assert "</script" not in script.text.lower() and "<!--" not in script.text
    written = literal_html(script.text)
    assert "&lt;/script&gt;&lt;script&gt;window.broke" in written and "<script" not in written
    page = await client.get(f"/gists/{GIST}/embed")
    assert "&lt;/script&gt;&lt;script&gt;window.broke" in page.text
    assert "<script" not in page.text.replace("&lt;script", "")


async def test_only_the_embed_page_may_be_framed(signed_in):
    await submit(signed_in)
    embed = await signed_in.get(f"/gists/{HELLO}/embed")
    assert embed.code == 200
    assert policy(embed)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in embed.headers
    assert policy(embed)["script-src"] == ["'self'"] and policy(embed)["style-src"] == ["'self'"]
    assert "<script" not in embed.text and "<style" not in embed.text and " style=" not in embed.text
    assert embed.headers["Cache-Control"] == "public, max-age=300"   # the session is never read
    for path in (f"/gists/{HELLO}", f"/gists/{HELLO}.js", "/", f"/gists/{HELLO}/embed/x"):
        answer = await signed_in.get(path)
        assert policy(answer)["frame-ancestors"] == ["'none'"], path
        assert answer.headers["X-Frame-Options"] == "DENY", path


async def test_the_stylesheet_scopes_every_rule_to_the_embed(client):
    for theme in ("auto", "light", "dark"):
        answer = await client.get(f"/embeds/{theme}.css?v=1")
        assert answer.code == 200
        assert answer.headers["Content-Type"] == "text/css; charset=utf-8"
        assert answer.headers["Cache-Control"] == "public, max-age=604800"
        css = re.sub(r"@media[^{]*\{", "", answer.text)
        selectors = [s.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", css) for s in re.split(r",(?![^(]*\))", block)]
        assert len(selectors) > 50
        outside = [s for s in selectors if not s.startswith((".tg-embed", "body.tg-frame"))]
        assert outside == []
        assert f".tg-embed.tg-{theme}" in answer.text
    assert (await client.get("/embeds/purple.css")).code == 404


async def test_the_gist_page_offers_both_snippets_as_text(signed_in, settings):
    await submit(signed_in)
    page = (await Client(settings.site_url).get(f"/gists/{HELLO}")).text
    script, frame = snippets(f"{settings.site_url}/gists/{HELLO}.js", f"{settings.site_url}/gists/{HELLO}/embed",
                             "Hello, Tornado", 0)
    assert '<details class="embed">' in page
    assert f'id="embed-script" value="{html.escape(script)}" readonly' in page
    values = re.findall(r'id="embed-frame" value="([^"]*)"', page)
    assert html.unescape(values[0]).startswith(frame.split(' height="')[0])
    assert page.count('data-copy="embed-') == 2 and page.count("Copy</button>") == 2
    assert re.search(r'data-copy="embed-script" hidden>', page)   # shown by site.js only


@pytest.mark.parametrize("gist_id", [XSS])
async def test_a_title_with_markup_stays_inside_the_frame_snippet(signed_in, settings, gist_id):
    await submit(signed_in, gist_id)
    page = (await Client(settings.site_url).get(f"/gists/{gist_id}")).text
    [value] = re.findall(r'id="embed-frame" value="([^"]*)"', page)
    frame = html.unescape(value)
    assert 'title="&lt;script&gt;alert(&quot;desc&quot;)&lt;/script&gt;"' in frame
    assert "<script" not in frame


async def test_a_server_failure_answers_in_the_embeds_own_form(site, client):
    await site.client.close()   # nothing cached yet, every query fails
    script = await client.get(f"/gists/{GIST}.js")
    assert script.code in (500, 503) and script.headers["Content-Type"] == JS
    assert re.fullmatch(r"/\* TornadoGists: 50[03] [^*]+\. (Something went wrong|The database is not)[^*]+ \*/\n", script.text)
    page = await client.get(f"/gists/{GIST}/embed")
    assert page.code in (500, 503) and '<p class="tg-note">' in page.text and "site-header" not in page.text
    assert policy(page)["frame-ancestors"] == ["*"]
    assert (await client.request("OPTIONS", f"/gists/{GIST}.js")).text == \
        "/* TornadoGists: 405 Method Not Allowed. */\n"
