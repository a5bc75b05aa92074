"""Gist pages from memory: served without the database while unchanged, rebuilt after every kind of write,
in the writing process at once and in every other process within 2 s; personal parts stay personal."""

import asyncio
import dataclasses

import pytest_asyncio
import tornado.testing

from tests.client import Client
from tests.crafted import client_for, make_gist, make_user
from tests.discussion import HELLO, comment, person, post, submit  # noqa: F401 - a fixture
from tornadogists.server import Site
from tornadogists.services.page_cache import ByteLRU, weight

GIST = "0123456789abcdef0123"


@pytest_asyncio.fixture
async def other_process(settings, site):
    """A second site on the same database: its own memory, its own version poller."""
    sock, port = tornado.testing.bind_unused_port()
    other = await Site(dataclasses.replace(settings, port=port, site_url=f"http://127.0.0.1:{port}")).open()
    other.listen(sockets=[sock])
    yield Client(f"http://127.0.0.1:{port}")
    await other.close()
    sock.close()


async def shows_within(client: Client, path: str, text: str, seconds: float) -> bool:
    for _ in range(int(seconds * 20)):
        if text in (await client.get(path)).text:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_an_unchanged_gist_page_is_served_without_the_database(site, db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, "Served from memory")
    visitor = Client(settings.site_url)
    assert (await visitor.get(f"/gists/{GIST}")).code == 200
    await site.client.close()   # every query now fails
    page = await visitor.get(f"/gists/{GIST}")
    assert page.code == 200 and "Served from memory" in page.text


async def test_every_kind_of_write_shows_at_once_to_the_writer(signed_in, person, fake_github):
    await submit(signed_in)
    path = f"/gists/{HELLO}"
    assert (await signed_in.get(path)).code == 200   # cached now
    cid = await comment(signed_in, "First thoughts")
    assert "First thoughts" in (await signed_in.get(path)).text
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": "Second thoughts"})).code == 303
    assert "Second thoughts" in (await signed_in.get(path)).text
    assert (await signed_in.post(f"/gists/{HELLO}/love")).code == 303
    assert '<span class="love-count">1</span>' in (await signed_in.get(path)).text
    assert (await signed_in.post(f"/gists/{HELLO}/tags", {"tags": "cached, pages"})).code == 303
    assert 'href="/tags/pages"' in (await signed_in.get(path)).text
    changed = fake_github.gists[HELLO]
    changed["description"] = "Rewritten on GitHub"
    fake_github.add_gist(changed)
    assert (await signed_in.post(f"/gists/{HELLO}/refresh")).code == 303
    assert "Rewritten on GitHub" in (await signed_in.get(path)).text
    assert (await signed_in.post("/account/profile", {"handle": "ada-renamed", "display_name": ""})).code == 303
    assert 'href="/users/ada-renamed"' in (await signed_in.get(path)).text
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{cid}/delete")).code == 303
    assert "Second thoughts" not in (await signed_in.get(path)).text


async def test_a_write_in_one_process_shows_in_another_within_2_s(signed_in, other_process):
    await submit(signed_in)
    path = f"/gists/{HELLO}"
    assert "No comments yet" in (await other_process.get(path)).text   # cached there
    await comment(signed_in, "Written in the first process")
    assert await shows_within(other_process, path, "Written in the first process", 2)
    assert (await signed_in.post(f"/gists/{HELLO}/love")).code == 303
    assert await shows_within(other_process, path, '<span class="love-count">1</span>', 2)


async def test_personal_parts_of_a_cached_page_stay_personal(db, settings):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    admin = await make_user(db, "root", email="admin@example.com", is_admin=True)
    await make_gist(db, GIST, ada)
    ada_client, bob_client, admin_client = [await client_for(settings, u) for u in (ada, bob, admin)]
    assert (await ada_client.post(f"/gists/{GIST}/comments", {"body": "Ada's note"})).code == 303
    assert (await bob_client.post(f"/gists/{GIST}/love")).code == 303
    pages = {name: (await c.get(f"/gists/{GIST}")).text
             for name, c in (("ada", ada_client), ("bob", bob_client), ("admin", admin_client))}
    assert 'class="edit"' in pages["ada"] and 'class="edit"' not in pages["bob"]
    assert "Delete this comment" in pages["admin"] and "Delete this comment" not in pages["bob"]
    # (the theme switch's buttons have aria-pressed too)
    assert 'class="love loved" aria-pressed="true"' in pages["bob"] and 'class="love" aria-pressed="false"' in pages["ada"]
    for name, c in (("ada", ada_client), ("bob", bob_client)):
        assert 'name="_xsrf" value="' in pages[name] and "\x00" not in pages[name]
        # Each person's forms carry a token that works for them: a reply goes through.
        assert (await c.post(f"/gists/{GIST}/comments", {"body": f"reply by {name}"})).code == 303
    anonymous = (await Client(settings.site_url).get(f"/gists/{GIST}")).text
    assert "_xsrf" not in anonymous and "Delete this comment" not in anonymous


async def test_an_anonymous_gist_page_answers_304_to_its_etag_until_it_changes(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    visitor = Client(settings.site_url)
    first = await visitor.get(f"/gists/{GIST}")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    etag = first.headers["Etag"]
    again = await visitor.get(f"/gists/{GIST}", headers={"If-None-Match": etag})
    assert again.code == 304 and again.text == ""
    assert (await (await client_for(settings, ada)).post(f"/gists/{GIST}/comments", {"body": "news"})).code == 303
    changed = await visitor.get(f"/gists/{GIST}", headers={"If-None-Match": etag})
    assert changed.code == 200 and "news" in changed.text and changed.headers["Etag"] != etag


async def test_a_signed_in_gist_page_is_never_stored(signed_in):
    await submit(signed_in)
    page = await signed_in.get(f"/gists/{HELLO}")
    assert page.headers["Cache-Control"] == "private, no-store" and "Etag" not in page.headers


def test_the_page_memory_holds_at_most_its_bytes_dropping_the_least_recently_used():
    pages = ByteLRU(max_bytes=100)
    pages.put("a", "A", 40)
    pages.put("b", "B", 40)
    assert pages.get("a") == "A"   # now b is the least recently used
    pages.put("c", "C", 40)
    assert pages.get("b") is None and pages.get("a") == "A" and pages.get("c") == "C"
    assert pages.size == 80
    pages.put("huge", "H", 101)
    assert pages.get("huge") is None and len(pages) == 2


async def test_sign_out_everywhere_reaches_another_process_within_2_s(signed_in, other_process):
    other_process.cookies = dict(signed_in.cookies)   # the same browser, served by the other process
    assert "Sign out" in (await other_process.get("/")).text   # its session lookup is remembered there
    assert (await signed_in.post("/account/sessions")).code == 303
    assert await shows_within(other_process, "/", "Sign in", 2)


def held_bytes(page) -> int:
    """What a cached page really holds: its data and every rendering on its shelves."""
    shelves = (page.fragments, page.anonymous, page.personal, page.embeds)
    return page.data_bytes + sum(weight(k) + weight(v) for shelf in shelves for k, v in shelf.items())


async def test_every_signed_in_rendering_is_counted_in_the_one_page_budget(db, settings):
    budget = 300_000
    site = await Site(dataclasses.replace(settings, page_cache_bytes=budget)).open()
    sock, port = tornado.testing.bind_unused_port()
    site.listen(sockets=[sock])
    try:
        ada = await make_user(db, "ada")
        gists = [f"{n:020x}" for n in range(1, 5)]
        for gist in gists:
            await make_gist(db, gist, ada, "Budgeted", files={"main.py": "print('x')\n" * 200})
        people = [await make_user(db, f"reader{n}") for n in range(12)]
        cache = site.services.gist_page.pages
        for person in people:
            client = await client_for(dataclasses.replace(settings, site_url=f"http://127.0.0.1:{port}"), person)
            for theme in ("light", "dark", "auto"):
                client.cookies["theme"] = theme
                for gist in gists:
                    assert (await client.get(f"/gists/{gist}")).code == 200
                assert cache.size <= budget
                assert cache.size == sum(size for _, _, size in cache.items())
                assert all(size == held_bytes(page) for _, page, size in cache.items())
            client.close()
        assert len(cache) >= 1 and sum(len(p.personal) for _, p, _ in cache.items()) >= 1
        rendered = sum(len(b) for _, p, _ in cache.items() for html in p.personal.values() for b in html.pieces)
        assert rendered <= cache.size <= budget   # the pages as people saw them are inside the budget
    finally:
        await site.close()
        sock.close()


async def test_only_a_post_that_changed_a_page_renews_the_wrote_cookie(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada)
    writer = await client_for(settings, ada)
    preview = await writer.post("/preview", {"body": "*just looking*"}, headers={"Accept": "application/json"})
    assert preview.code == 200 and "wrote" not in writer.cookies   # nothing changed: cached pages stay good
    assert (await writer.post(f"/gists/{GIST}/comments", {"body": "A real change"})).code == 303
    assert "wrote" in writer.cookies


async def test_a_raw_file_comes_from_memory_with_an_etag_and_a_304(site, db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, GIST, ada, files={"main.py": "print('hello')\n\n\tx = 1\r\n"})
    visitor = Client(settings.site_url)
    first = await visitor.get(f"/gists/{GIST}/raw/main.py")
    assert first.code == 200 and first.body == b"print('hello')\n\n\tx = 1\r\n"
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    etag = first.headers["Etag"]
    await site.client.close()   # every query now fails: the file and its 304 still come
    again = await visitor.get(f"/gists/{GIST}/raw/main.py", headers={"If-None-Match": etag})
    assert again.code == 304 and again.body == b""
    assert (await visitor.get(f"/gists/{GIST}/raw/main.py")).body == first.body
    assert (await visitor.get(f"/gists/{GIST}/raw/other.py")).code == 404


async def test_a_raw_file_changed_on_github_is_served_anew_after_a_refresh(signed_in, fake_github, db):
    from tests.test_revisions import refresh

    await submit(signed_in)
    first = await signed_in.get(f"/gists/{HELLO}/raw/hello.py")
    fake_github.commit(HELLO, {"hello.py": "print('changed')\n"})
    await refresh(signed_in, db)
    changed = await signed_in.get(f"/gists/{HELLO}/raw/hello.py", headers={"If-None-Match": first.headers["Etag"]})
    assert changed.code == 200 and changed.body == b"print('changed')\n"
    assert changed.headers["Etag"] != first.headers["Etag"]
