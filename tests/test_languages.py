"""Per-language pages and feeds (issue 20): /languages, /languages/{language}, their Atom feeds."""

import re
import xml.etree.ElementTree as ElementTree

from tests.crafted import days_ago, gist_id, make_gist, make_user
from tornadogists.storage import Storage

CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')
ATOM = {"a": "http://www.w3.org/2005/Atom"}


async def crafted(db):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "a python one", submitted_at=days_ago(3))
    await make_gist(db, gist_id(2), ada, "c plus plus", submitted_at=days_ago(2), languages=["C++", "Python"])
    await make_gist(db, gist_id(3), ada, "hidden c", submitted_at=days_ago(1), languages=["C++"], hidden=["reports"])
    return ada


async def test_the_language_index_counts_public_gists_per_language(db, client):
    await crafted(db)
    page = await client.get("/languages")
    assert page.code == 200
    listed = r'<a class="lang" href="/languages/([^"]+)">([^<]+)</a>\s*<span class="count" title="gists">(\d+)'
    assert re.findall(listed, page.text) == [("python", "Python", "2"), ("c%2B%2B", "C++", "1")]


async def test_a_language_page_lists_its_public_gists_newest_first_in_any_case(db, client):
    await crafted(db)
    for path in ("/languages/c%2B%2B", "/languages/C%2B%2B"):
        page = await client.get(path)
        assert page.code == 200 and "Gists in <span class=\"lang\">C++</span>" in page.text
        assert CARD_TITLE.findall(page.text) == [gist_id(2)]
    assert CARD_TITLE.findall((await client.get("/languages/python")).text) == [gist_id(2), gist_id(1)]
    missing = await client.get("/languages/cobol")
    assert missing.code == 404


async def test_a_language_feed_has_its_gists_and_an_unknown_language_none(db, client):
    await crafted(db)
    feed = await client.get("/feeds/languages/python.atom")
    assert feed.code == 200 and feed.headers["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.body)
    assert root.findtext("a:title", namespaces=ATOM) == "TornadoGists: Python gists"
    assert [e.findtext("a:title", namespaces=ATOM) for e in root.findall("a:entry", ATOM)] == ["c plus plus",
                                                                                              "a python one"]
    assert (await client.get("/feeds/languages/cobol.atom")).code == 404
    assert 'href="http://127.0.0.1' in (await client.get("/languages/python")).text.split("</head>")[0]


async def test_a_refresh_that_changes_a_gists_languages_moves_it_between_language_pages(db, client):
    await crafted(db)
    await Storage(db).gists.update(gist_id(1), {"languages": ["Go"]})   # as a refresh from GitHub writes it
    assert CARD_TITLE.findall((await client.get("/languages/go")).text) == [gist_id(1)]
    assert CARD_TITLE.findall((await client.get("/languages/python")).text) == [gist_id(2)]
    counts = {doc["_id"]: doc["count"] async for doc in db.listing_counts.find({"_id": {"$regex": "^language:"}})}
    assert counts == {"language:Python": 1, "language:C++": 1, "language:Go": 1}
