"""Numbered pages on listings (issue 20): counts kept by the writes, rel=prev/next, pages out of range."""

import re

from tests.crafted import client_for, days_ago, gist_id, make_gist, make_user
from tornadogists.text.pages import page_numbers

CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')
HEAD_LINKS = re.compile(r'<link rel="(prev|next)" href="([^"]+)">')


def test_page_numbers_show_the_ends_and_the_neighbours_with_gaps():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 4) == [1, 2, 3, 4]
    assert page_numbers(7, 20) == [1, None, 5, 6, 7, 8, 9, None, 20]
    assert page_numbers(20, 20) == [1, None, 18, 19, 20]


async def test_a_listing_shows_its_page_count_and_links_its_neighbours(db, client):
    ada = await make_user(db, "ada")
    for n in range(45):   # 3 pages of 20
        await make_gist(db, gist_id(n), ada, f"gist {n}", submitted_at=days_ago(50 - n), tags=["py"])
    for path in ("/?sort=latest", "/tags/py", "/languages/python", "/users/ada"):
        first = await client.get(path)
        assert first.code == 200 and "of 3</span>" in first.text, path
        head = first.text.split("</head>")[0]
        assert [rel for rel, _ in HEAD_LINKS.findall(head)] == ["next"], path
        second = await client.get(path + ("&" if "?" in path else "?") + "page=2")
        assert [rel for rel, _ in HEAD_LINKS.findall(second.text.split("</head>")[0])] == ["prev", "next"], path
        assert '<span class="current" aria-current="page">2</span>' in second.text
        last = await client.get(path + ("&" if "?" in path else "?") + "page=3")
        assert len(CARD_TITLE.findall(last.text)) == 5 and 'rel="next"' not in last.text, path
    head = (await client.get("/?sort=loved&page=2")).text.split("</head>")[0]
    assert HEAD_LINKS.findall(head) == [("prev", "?sort=loved"), ("next", "?sort=loved&amp;page=3")]


async def test_a_page_past_the_last_is_a_404_saying_how_many_there_are_and_a_bad_page_a_400(db, client):
    ada = await make_user(db, "ada")
    for n in range(21):
        await make_gist(db, gist_id(n), ada, f"gist {n}", tags=["py"])
    for path in ("/?page=3", "/tags/py?page=3", "/languages/python?page=9", "/users/ada?page=3"):
        response = await client.get(path)
        assert response.code == 404 and "this listing has 2 pages" in response.text, path
    assert (await client.get("/?sort=discussed&page=2")).code == 404
    for bad in ("x", "0", "-1", "99999"):
        assert (await client.get(f"/?page={bad}")).code == 400


async def test_counts_follow_tag_edits_and_hiding_at_once(db, client, settings):
    ada = await make_user(db, "ada")
    admin = await make_user(db, "root", is_admin=True)
    for n in range(21):
        await make_gist(db, gist_id(n), ada, f"gist {n}", tags=["py"])
    assert "of 2</span>" in (await client.get("/tags/py")).text
    assert "of 2</span>" in (await client.get("/?sort=latest")).text
    # Its submitter takes the tag off one gist: one page at once; the new tag has its own count.
    signed_in = await client_for(settings, ada)
    assert (await signed_in.post(f"/gists/{gist_id(3)}/tags", {"tags": "rust"})).code == 303
    assert 'rel="next"' not in (await client.get("/tags/py")).text
    assert await db.listing_counts.find_one({"_id": "tag:py"}) == {"_id": "tag:py", "count": 20}
    assert (await db.listing_counts.find_one({"_id": "tag:rust"}))["count"] == 1
    # An admin hides a gist: it leaves every count it was in.
    hider = await client_for(settings, admin)
    assert (await hider.post(f"/admin/gists/{gist_id(4)}", {"action": "hide", "reason": "spam"})).code == 303
    assert 'rel="next"' not in (await client.get("/?sort=latest")).text
    assert (await db.listing_counts.find_one({"_id": "all"}))["count"] == 20
    assert (await db.listing_counts.find_one({"_id": f"submitter:{ada['_id']}"}))["count"] == 20
    assert (await hider.post(f"/admin/gists/{gist_id(4)}", {"action": "unhide", "reason": "fine"})).code == 303
    assert (await db.listing_counts.find_one({"_id": "all"}))["count"] == 21
