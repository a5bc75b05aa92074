"""A person's public page: profile, and the tabs submitted, comments and loved."""

import re

from tests.crafted import days_ago, gist_id, make_comment, make_gist, make_love, make_user
from tests.html_checks import active_content

CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')


async def test_the_profile_shows_who_the_person_is(db, client):
    await make_user(db, "ada", display_name="Ada Lovelace", avatar_url="https://avatars.example/ada.png",
                    github={"id": 1, "login": "ada-gh", "html_url": "https://github.com/ada-gh"},
                    is_admin=True, created_at=days_ago(40))
    page = await client.get("/users/ada")
    assert page.code == 200
    assert "<h1>Ada Lovelace" in page.text and '<span class="badge">admin</span>' in page.text
    assert 'src="https://avatars.example/ada.png"' in page.text
    assert 'href="https://github.com/ada-gh"' in page.text
    assert "joined <time" in page.text and "1 month ago" in page.text
    assert 'rel="alternate" type="application/atom+xml"' in page.text and "/users/ada/feed.atom" in page.text


async def test_a_person_without_github_gets_a_generated_avatar_and_no_badge(db, client):
    await make_user(db, "bob")
    page = await client.get("/users/bob")
    assert page.code == 200 and 'src="/avatars/bob.svg"' in page.text
    assert "admin</span>" not in page.text and "GitHub</a>" not in page.text


async def test_everything_a_person_wrote_is_escaped(db, client):
    await make_user(db, "eve", display_name='<script>alert(1)</script><img src=x onerror=alert(2)>',
                    github={"id": 2, "login": "eve", "html_url": "javascript:alert(3)"})
    gist = await make_gist(db, gist_id(1), await make_user(db, "ada"), "<svg onload=alert(4)>")
    eve = await db.users.find_one({"handle": "eve"})
    await make_comment(db, gist["gist_id"], eve, "hi", html='<p>hi</p>')
    for path in ("/users/eve", "/users/eve/comments"):
        page = await client.get(path)
        assert page.code == 200 and active_content(page.text) == [], path


async def test_an_unknown_handle_is_a_404(db, client):
    for path in ("/users/nobody", "/users/nobody/comments", "/users/nobody/loved", "/users/Not_A_Handle",
                 "/users/ada/unknown-tab"):
        assert (await client.get(path)).code == 404, path


async def test_submitted_lists_the_persons_gists_newest_first_in_pages(db, client):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    for n in range(22):
        await make_gist(db, gist_id(n), ada, f"ada's {n}", submitted_at=days_ago(30 - n))
    await make_gist(db, gist_id(99), bob, "bob's")
    first = await client.get("/users/ada")
    assert CARD_TITLE.findall(first.text) == [gist_id(n) for n in range(21, 1, -1)]
    second = await client.get("/users/ada?page=2")
    assert CARD_TITLE.findall(second.text) == [gist_id(1), gist_id(0)]
    assert 'aria-current="page">Submitted' in first.text and 'rel="next"' in first.text
    assert (await client.get("/users/ada?page=0")).code == 400


async def test_the_comments_tab_links_each_comment_to_its_place(db, client):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    await make_gist(db, gist_id(1), ada, "First gist")
    await make_gist(db, gist_id(2), ada, "Second gist")
    older = await make_comment(db, gist_id(1), bob, "an **older** remark", created_at=days_ago(2))
    newer = await make_comment(db, gist_id(2), bob, "a newer one", created_at=days_ago(1), file="main.py", line=1)
    await make_comment(db, gist_id(1), bob, "", deleted=True)
    await make_comment(db, gist_id(1), ada, "ada's own")
    page = await client.get("/users/bob/comments")
    assert page.code == 200 and 'aria-current="page">Comments' in page.text
    assert f'href="/gists/{gist_id(2)}#comment-{newer["_id"]}"' in page.text
    assert f'href="/gists/{gist_id(1)}#comment-{older["_id"]}"' in page.text
    assert page.text.index("a newer one") < page.text.index("<strong>older</strong>")
    assert "Second gist" in page.text and "main.py</code> line 1" in page.text
    assert "ada's own" not in page.text and page.text.count('class="card"') == 2


async def test_the_loved_tab_lists_what_the_person_loved_latest_first(db, client):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    await make_gist(db, gist_id(1), ada, "Loved first")
    await make_gist(db, gist_id(2), ada, "Loved second")
    await make_gist(db, gist_id(3), ada, "Not loved")
    await make_love(db, gist_id(1), bob)
    await make_love(db, gist_id(2), bob)
    page = await client.get("/users/bob/loved")
    assert page.code == 200 and 'aria-current="page">Loved' in page.text
    assert CARD_TITLE.findall(page.text) == [gist_id(2), gist_id(1)]
    assert "No loved gists yet" in (await client.get("/users/ada/loved")).text
    assert "No comments yet" in (await client.get("/users/ada/comments")).text
    assert "No gists submitted yet" in (await client.get("/users/bob")).text
