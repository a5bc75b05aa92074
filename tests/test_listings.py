"""The home page's sorts on crafted data, stable pages, the most loved people, sitemap and robots."""

import dataclasses
import re
import xml.etree.ElementTree as ElementTree

import pytest

from tests.crafted import client_for, days_ago, gist_id, make_comment, make_gist, make_love, make_user, now

CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')
SITEMAPS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def listed(page) -> list[str]:
    return CARD_TITLE.findall(page.text)


async def test_latest_pages_are_stable_when_gists_share_a_time(db, client):
    ada = await make_user(db, "ada")
    same = now()
    for n in range(25):
        await make_gist(db, gist_id(n), ada, f"gist {n}", submitted_at=same)
    first, second = await client.get("/"), await client.get("/?page=2")
    assert len(listed(first)) == 20 and len(listed(second)) == 5
    assert sorted(listed(first) + listed(second)) == sorted(gist_id(n) for n in range(25))
    assert listed(first) == [gist_id(n) for n in range(24, 4, -1)]  # same time: the later insert first
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text


async def test_most_loved_sorts_by_loves_then_newest(db, client):
    ada = await make_user(db, "ada")
    for n, loves in enumerate([3, 0, 5, 3, 1]):
        await make_gist(db, gist_id(n), ada, f"gist {n}", submitted_at=days_ago(10 - n), loves=loves)
    page = await client.get("/?sort=loved")
    assert page.code == 200 and "Most loved gists" in page.text
    assert listed(page) == [gist_id(2), gist_id(3), gist_id(0), gist_id(4), gist_id(1)]
    assert 'aria-current="page">Most loved' in page.text


async def test_most_discussed_counts_visible_comments_of_the_last_30_days(db, client):
    ada = await make_user(db, "ada")
    for n in range(5):
        await make_gist(db, gist_id(n), ada, f"gist {n}")
    # gist 0: 2 recent; gist 1: 3 recent + 1 deleted; gist 2: 1 recent + 5 old; gist 3: only old; gist 4: none.
    plan = {0: [1, 2], 1: [1, 2, 3], 2: [4] + [40] * 5, 3: [31, 45]}
    for n, ages in plan.items():
        for age in ages:
            await make_comment(db, gist_id(n), ada, f"comment on {n}", created_at=days_ago(age))
    await make_comment(db, gist_id(1), ada, "", created_at=days_ago(1), deleted=True)
    await make_comment(db, gist_id(2), ada, "", created_at=days_ago(1), deleted=True)
    page = await client.get("/?sort=discussed")
    assert page.code == 200
    assert listed(page) == [gist_id(1), gist_id(0), gist_id(2)]
    assert "3 comments this month" in page.text and "1 comment this month" in page.text


async def test_most_discussed_breaks_ties_by_the_latest_comment_and_pages_stably(db, client):
    ada = await make_user(db, "ada")
    for n in range(22):
        await make_gist(db, gist_id(n), ada)
        await make_comment(db, gist_id(n), ada, "one", created_at=days_ago(1 + n / 100))
    first, second = await client.get("/?sort=discussed"), await client.get("/?sort=discussed&page=2")
    assert listed(first) == [gist_id(n) for n in range(20)]
    assert listed(second) == [gist_id(20), gist_id(21)]
    assert 'href="?sort=discussed&amp;page=2"' in first.text


async def test_nothing_discussed_says_so(db, client):
    await make_gist(db, gist_id(1), await make_user(db, "ada"))
    page = await client.get("/?sort=discussed")
    assert page.code == 200 and "Nothing was discussed in the last 30 days" in page.text


async def test_an_unknown_sort_is_a_400(client):
    response = await client.get("/?sort=random")
    assert response.code == 400 and "latest, discussed, loved" in response.text


async def test_a_love_shows_in_the_loved_listing_at_once(db, settings, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, submitted_at=days_ago(2))
    await make_gist(db, gist_id(2), ada, submitted_at=days_ago(1))
    assert listed(await client.get("/?sort=loved")) == [gist_id(2), gist_id(1)]
    await (await client_for(settings, ada)).post(f"/gists/{gist_id(1)}/love")
    assert listed(await client.get("/?sort=loved")) == [gist_id(1), gist_id(2)]


async def test_the_most_loved_people_are_ranked_by_loves_on_their_gists(db, client):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob", display_name="Bob <b>B</b>")
    await make_user(db, "nobody")
    fans = [await make_user(db, f"fan{n}") for n in range(3)]
    await make_gist(db, gist_id(1), ada)
    await make_gist(db, gist_id(2), bob)
    await make_gist(db, gist_id(3), bob)
    await make_love(db, gist_id(1), fans[0])
    for fan in fans:
        await make_love(db, gist_id(2), fan)
    await make_love(db, gist_id(3), fans[0])
    page = await client.get("/people")
    assert page.code == 200
    assert page.text.index('href="/users/bob"') < page.text.index('href="/users/ada"')
    assert "♥ 4 on 2 gists" in page.text and "♥ 1 on 1 gist" in page.text
    assert "nobody" not in page.text and "Bob &lt;b&gt;B&lt;/b&gt;" in page.text


async def test_the_header_links_to_listings_and_search(client):
    page = await client.get("/")
    for path in ('href="/tags"', 'href="/people"', 'action="/search"'):
        assert path in page.text
    for feed in ("/feeds/gists.atom", "/feeds/gists.rss", "/feeds/comments.atom"):
        assert f'rel="alternate" type="application/' in page.text and feed in page.text


async def sitemap_files(client, settings) -> list:
    """The index at /sitemap.xml, then each file it names, parsed."""
    index = await client.get("/sitemap.xml")
    assert index.code == 200 and index.headers["Content-Type"].startswith("application/xml")
    files = []
    for loc in ElementTree.fromstring(index.body).findall("s:sitemap/s:loc", SITEMAPS):
        assert loc.text.startswith(settings.site_url + "/sitemaps/")
        answer = await client.get(loc.text.removeprefix(settings.site_url))
        assert answer.code == 200 and answer.headers["Content-Type"].startswith("application/xml")
        files.append(ElementTree.fromstring(answer.body))
    return files


async def test_the_sitemap_lists_listings_gists_tags_and_people(db, client, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, tags=["python", "c#"], submitted_at=days_ago(3))
    listings, gists = await sitemap_files(client, settings)
    base = settings.site_url
    assert [loc.text for loc in listings.findall("s:url/s:loc", SITEMAPS)] == [
        base + path for path in ("/", "/tags", "/people", "/tags/c%23", "/tags/python")]
    assert [loc.text for loc in gists.findall("s:url/s:loc", SITEMAPS)] == [base + f"/gists/{gist_id(1)}", base + "/users/ada"]
    stored = await db.gists.find_one({"gist_id": gist_id(1)})
    assert gists.find("s:url/s:lastmod", SITEMAPS).text == stored["submitted_at"].date().isoformat()


class TestSitemapFiles:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, sitemap_urls=4)

    async def test_a_big_sitemap_is_an_index_of_files_of_at_most_sitemap_urls_each(self, db, client, settings):
        ada = await make_user(db, "ada")
        for n in range(7):   # 3 listings, then 7 gists 2 a file, each file with their submitter
            await make_gist(db, gist_id(n), ada, submitted_at=days_ago(n))
        files = await sitemap_files(client, settings)
        counts = [len(root.findall("s:url", SITEMAPS)) for root in files]
        assert counts == [3, 3, 3, 3, 2]
        locations = [[loc.text for loc in root.findall("s:url/s:loc", SITEMAPS)] for root in files]
        assert locations[1] == [settings.site_url + path for path in (f"/gists/{gist_id(6)}", f"/gists/{gist_id(5)}", "/users/ada")]
        assert len({loc for file in locations for loc in file}) == 11
        assert (await client.get("/sitemaps/6.xml")).code == 404
        assert (await client.get("/sitemaps/0.xml")).code == 404


async def test_robots_txt_keeps_crawlers_out_of_private_pages(client, settings):
    response = await client.get("/robots.txt")
    assert response.code == 200 and response.headers["Content-Type"].startswith("text/plain")
    for line in ("User-agent: *", "Disallow: /auth/", "Disallow: /account", "Disallow: /search",
                 f"Sitemap: {settings.site_url}/sitemap.xml"):
        assert line in response.text.splitlines()
