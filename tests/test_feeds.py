"""Atom and RSS feeds read by a real feed parser; conditional GET; no XSS in any feed."""

import datetime
import email.utils

import feedparser
import pytest

from tests.crafted import days_ago, gist_id, make_comment, make_gist, make_user
from tests.html_checks import active_content

HELLO = "aa5a315d61ae9438b18d"
XSS = "cc7c537f83c0650ad3af"


def parse(response):
    assert response.code == 200, response.text
    feed = feedparser.parse(response.body)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def when(parsed_time) -> datetime.datetime:
    return datetime.datetime(*parsed_time[:6], tzinfo=datetime.UTC)


@pytest.fixture
async def crafted(db):
    """Two people, three gists (two tagged python), comments on two of them, one deleted."""
    ada, bob = await make_user(db, "ada", display_name="Ada"), await make_user(db, "bob")
    await make_gist(db, gist_id(1), ada, "Oldest", tags=["python"], submitted_at=days_ago(3),
                    files={"one.py": "def first():\n    return 1\n"})
    await make_gist(db, gist_id(2), bob, "Middle", tags=["go"], submitted_at=days_ago(2))
    await make_gist(db, gist_id(3), ada, "Newest", tags=["python"], submitted_at=days_ago(1))
    await make_comment(db, gist_id(1), bob, "An *early* word", created_at=days_ago(2.5))
    await make_comment(db, gist_id(3), bob, "A later word", created_at=days_ago(0.5), file="main.py", line=1)
    await make_comment(db, gist_id(3), bob, "", created_at=days_ago(0.2), deleted=True)
    return ada, bob


async def submitted(db, gist) -> datetime.datetime:
    return (await db.gists.find_one({"gist_id": gist}))["submitted_at"]


async def test_the_newest_gists_atom_feed(crafted, client, settings, db):
    response = await client.get("/feeds/gists.atom")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = parse(response)
    assert feed.version == "atom10"
    assert feed.feed.title == "TornadoGists: newest gists"
    assert feed.feed.link == settings.site_url + "/"
    assert [e.title for e in feed.entries] == ["Newest", "Middle", "Oldest"]
    oldest = feed.entries[-1]
    assert oldest.link == oldest.id == f"{settings.site_url}/gists/{gist_id(1)}"
    assert oldest.author == "ada"
    assert when(oldest.published_parsed) == when(oldest.updated_parsed) == await submitted(db, gist_id(1))
    assert when(feed.feed.updated_parsed) == await submitted(db, gist_id(3))
    content = oldest.content[0].value
    assert '<span class="k">def</span>' in content and "one.py" in content and "<pre" in content
    assert "Tags: python" in content


async def test_the_newest_gists_rss_feed(crafted, client, settings, db):
    response = await client.get("/feeds/gists.rss")
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    feed = parse(response)
    assert feed.version == "rss20"
    assert feed.feed.link == settings.site_url + "/"
    assert [e.title for e in feed.entries] == ["Newest", "Middle", "Oldest"]
    assert feed.entries[0].link == f"{settings.site_url}/gists/{gist_id(3)}"
    assert feed.entries[0].id == feed.entries[0].link
    assert feed.entries[0].author == "ada"
    assert when(feed.entries[0].published_parsed) == await submitted(db, gist_id(3))
    assert "<pre" in feed.entries[2].summary


async def test_the_newest_comments_feed(crafted, client, settings, db):
    feed = parse(await client.get("/feeds/comments.atom"))
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["bob on “Newest”", "bob on “Oldest”"]
    later = feed.entries[0]
    assert later.link.startswith(f"{settings.site_url}/gists/{gist_id(3)}#comment-")
    assert later.id == later.link and later.author == "bob"
    assert when(later.updated_parsed) == (await db.comments.find_one({"body": "A later word"}))["updated_at"]
    assert "A later word" in later.content[0].value and "main.py</code> line 1" in later.content[0].value
    assert f'href="{settings.site_url}/gists/{gist_id(3)}"' in later.content[0].value
    assert "<em>early</em>" in feed.entries[1].content[0].value


async def test_a_gists_comments_feed(crafted, client, settings):
    feed = parse(await client.get(f"/gists/{gist_id(1)}/comments.atom"))
    assert feed.feed.title == "TornadoGists: comments on “Oldest”"
    assert feed.feed.link == f"{settings.site_url}/gists/{gist_id(1)}"
    assert [e.title for e in feed.entries] == ["bob on “Oldest”"]
    empty = parse(await client.get(f"/gists/{gist_id(2)}/comments.atom"))
    assert empty.entries == [] and empty.feed.title
    assert (await client.get("/gists/ffffffffffffffffffff/comments.atom")).code == 404


async def test_a_tags_feed(crafted, client, settings):
    feed = parse(await client.get("/tags/python/feed.atom"))
    assert feed.feed.link == f"{settings.site_url}/tags/python"
    assert [e.title for e in feed.entries] == ["Newest", "Oldest"]
    assert parse(await client.get("/tags/unused/feed.atom")).entries == []
    assert (await client.get("/tags/Not%20a%20tag/feed.atom")).code == 404


async def test_a_persons_feed(crafted, client, settings):
    feed = parse(await client.get("/users/ada/feed.atom"))
    assert feed.feed.title == "TornadoGists: gists submitted by Ada"
    assert feed.feed.link == f"{settings.site_url}/users/ada"
    assert [e.title for e in feed.entries] == ["Newest", "Oldest"]
    assert (await client.get("/users/nobody/feed.atom")).code == 404


async def test_a_repeated_conditional_get_is_a_304(crafted, client):
    for path in ("/feeds/gists.atom", "/feeds/gists.rss", "/feeds/comments.atom", "/tags/python/feed.atom",
                 "/users/ada/feed.atom", f"/gists/{gist_id(1)}/comments.atom"):
        first = await client.get(path)
        etag, modified = first.headers["Etag"], first.headers["Last-Modified"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.code == 304 and again.body == b"" and again.headers["Etag"] == etag, path
        assert (await client.get(path, headers={"If-Modified-Since": modified})).code == 304, path
        assert (await client.get(path, headers={"If-None-Match": '"other"'})).code == 200, path
    older = email.utils.format_datetime(days_ago(30), usegmt=True)
    assert (await client.get("/feeds/gists.atom", headers={"If-Modified-Since": older})).code == 200
    assert (await client.get("/feeds/gists.atom", headers={"If-Modified-Since": "garbage"})).code == 200


async def test_a_new_gist_changes_the_feed_and_its_etag(signed_in):
    first = await signed_in.get("/feeds/gists.atom")
    assert parse(first).entries == []
    assert (await signed_in.post("/gists", {"url": HELLO})).code == 303
    second = await signed_in.get("/feeds/gists.atom", headers={"If-None-Match": first.headers["Etag"]})
    assert [e.title for e in parse(second).entries] == ["Hello, Tornado"]
    assert second.headers["Etag"] != first.headers["Etag"]


async def test_xss_in_descriptions_files_and_comments_never_reaches_a_feed(signed_in, db):
    assert (await signed_in.post("/gists", {"url": XSS, "tags": "c++, c#"})).code == 303
    ada = await db.users.find_one({"handle": "ada"})
    hostile = ('<script>alert("c")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>'
               '<svg onload=alert(3)></svg><style>*{}</style><!-- c --><iframe src="data:text/html,x"></iframe>')
    # The stored HTML is sanitised when a comment is written; feeds sanitise again in case it was not.
    await make_comment(db, XSS, ada, hostile, html=hostile)
    for path in ("/feeds/gists.atom", "/feeds/gists.rss", "/feeds/comments.atom", "/tags/c++/feed.atom",
                 "/users/ada/feed.atom", f"/gists/{XSS}/comments.atom"):
        response = await signed_in.get(path.replace("+", "%2B"))
        feed = parse(response)
        assert feed.entries, path
        raw = response.text
        assert "<script" not in raw and "<img" not in raw and "<svg" not in raw, path
        for entry in feed.entries:
            html = entry.content[0].value if "content" in entry else entry.summary
            assert active_content(html) == [], (path, html)
            assert "<" not in entry.title or "&lt;" in raw, path
    gist_entry = parse(await signed_in.get("/feeds/gists.atom")).entries[0]
    assert gist_entry.title == '<script>alert("desc")</script>'  # text, shown as text by readers
    assert "<p>&lt;script&gt;alert(\"desc\")&lt;/script&gt;</p>" in gist_entry.content[0].value


async def test_pages_with_a_feed_announce_it(crafted, client, db):
    pages = {"/": "/feeds/gists.atom", "/tags/python": "/tags/python/feed.atom", "/users/ada": "/users/ada/feed.atom",
             f"/gists/{gist_id(1)}": f"/gists/{gist_id(1)}/comments.atom"}
    for page, feed in pages.items():
        html = (await client.get(page)).text
        head = html.split("</head>", 1)[0]
        assert '<link rel="alternate" type="application/atom+xml"' in head and feed + '">' in head, page


async def test_control_characters_from_comments_and_github_never_break_a_feed(client, db):
    ada = await make_user(db, "ada")
    # A description as a hostile GitHub answer sends it (U+0007), a comment written here (U+000B).
    await make_gist(db, gist_id(7), ada, "Bell \x07 ringing", tags=["python"],
                    files={"bell\x07.py": "print('\x07\x0b\ufffe')\n"})
    await make_comment(db, gist_id(7), ada, "A vertical \x0b tab", html="<p>A vertical \x0b tab \x01</p>")
    for path in ("/feeds/gists.atom", "/feeds/gists.rss", "/feeds/comments.atom", "/tags/python/feed.atom",
                 "/users/ada/feed.atom", f"/gists/{gist_id(7)}/comments.atom"):
        feed = parse(await client.get(path))
        assert feed.entries, path
        text = repr([(entry.title, entry.get("content") or entry.summary) for entry in feed.entries])
        assert "\\x07" not in text and "\\x0b" not in text, path
    titles = [entry.title for entry in parse(await client.get("/feeds/gists.atom")).entries]
    assert titles == ["Bell  ringing"]
