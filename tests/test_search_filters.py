"""Search filters, phrases, -words, sorts, whole files, and an index that follows every write (issues 17 and 20).

Every test runs on both engines: the SQLite index and MongoDB's text indexes give the same answers."""

import dataclasses

import pytest

from tests.crafted import client_for, days_ago, gist_id, make_comment, make_gist, make_love, make_user
from tests.test_search import found


@pytest.fixture(params=["sqlite", "mongodb"])
def settings(settings, request):
    return dataclasses.replace(settings, search_engine=request.param)


async def test_language_tag_user_and_owner_filters_narrow_the_results(db, client):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    await make_gist(db, gist_id(1), ada, "wombat in python", tags=["web"], languages=["Python"])
    await make_gist(db, gist_id(2), bob, "wombat in go", tags=["cli", "web"], languages=["Go"],
                    owner={"login": "GoFan"})
    await make_gist(db, gist_id(3), bob, "wombat in go again", languages=["Go"])
    assert set(found(await client.get("/search?q=wombat"))) == {gist_id(1), gist_id(2), gist_id(3)}
    assert found(await client.get("/search?q=wombat+language:python")) == [gist_id(1)]
    assert set(found(await client.get("/search?q=wombat+language:GO"))) == {gist_id(2), gist_id(3)}
    assert set(found(await client.get("/search?q=wombat+tag:web"))) == {gist_id(1), gist_id(2)}
    assert found(await client.get("/search?q=wombat+tag:web+tag:cli")) == [gist_id(2)]
    assert set(found(await client.get("/search?q=wombat+user:bob"))) == {gist_id(2), gist_id(3)}
    assert found(await client.get("/search?q=wombat+owner:gofan")) == [gist_id(2)]
    assert found(await client.get("/search?q=wombat+owner:nobody")) == []
    # The form's filter row says the same; filters alone list what they allow, newest first.
    assert set(found(await client.get("/search?q=wombat&language=go"))) == {gist_id(2), gist_id(3)}
    assert found(await client.get("/search?q=user:ada")) == [gist_id(1)]


async def test_in_restricts_where_the_words_are(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "the quagga gist", files={"a.py": "x = 1\n"})
    await make_gist(db, gist_id(2), ada, "plain", files={"quagga.py": "y = 2\n"})
    await make_gist(db, gist_id(3), ada, "plain", files={"b.py": "quagga = 3\n"})
    await make_gist(db, gist_id(4), ada, "plain", files={"c.py": "z = 4\n"})
    await make_comment(db, gist_id(4), ada, "A quagga, here.")
    assert set(found(await client.get("/search?q=quagga"))) == {gist_id(n) for n in range(1, 5)}
    assert set(found(await client.get("/search?q=quagga+in:title"))) == {gist_id(1), gist_id(2)}
    assert found(await client.get("/search?q=quagga+in:code")) == [gist_id(3)]
    page = await client.get("/search?q=quagga+in:comments")
    assert found(page) == [gist_id(4)] and "A <mark>quagga</mark>, here." in page.text
    assert found(await client.get("/search?q=quagga&in=code")) == [gist_id(3)]


async def test_a_phrase_needs_its_words_together_and_a_minus_word_leaves_gists_out(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "an async handler for tornado")
    await make_gist(db, gist_id(2), ada, "a handler that is async", files={"flask.py": "x\n"})
    await make_gist(db, gist_id(3), ada, "async tornado", files={"a.py": "import flask\n"})
    assert set(found(await client.get("/search?q=async+handler"))) == {gist_id(1), gist_id(2), gist_id(3)}
    assert found(await client.get('/search?q=%22async+handler%22')) == [gist_id(1)]
    assert found(await client.get("/search?q=async+-flask")) == [gist_id(1)]   # in a file name, in code
    assert found(await client.get('/search?q=async+-%22for+tornado%22+-flask')) == []


async def test_a_minus_word_leaves_out_a_discussion_that_holds_it_and_a_phrase_stays_in_one_comment(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "plain one")
    await make_gist(db, gist_id(2), ada, "plain two")
    await make_comment(db, gist_id(1), ada, "A narwhal.")
    await make_comment(db, gist_id(1), ada, "Also a flask.")
    await make_comment(db, gist_id(2), ada, "A narwhal, also.")
    assert set(found(await client.get("/search?q=narwhal"))) == {gist_id(1), gist_id(2)}
    assert found(await client.get("/search?q=narwhal+-flask")) == [gist_id(2)]
    page = await client.get("/search?q=%22narwhal+also%22")
    assert found(page) == [gist_id(2)] and "A <mark>narwhal</mark>, <mark>also</mark>." in page.text


async def test_results_sort_by_relevance_newest_loves_and_comments(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "echidna", submitted_at=days_ago(3), loves=1, comment_count=9)
    await make_gist(db, gist_id(2), ada, "plain", files={"a.py": "echidna = 1\n"}, submitted_at=days_ago(1),
                    loves=7, comment_count=0)
    await make_gist(db, gist_id(3), ada, "plain", tags=["echidna"], submitted_at=days_ago(2), loves=3,
                    comment_count=4)
    order = {sort: found(await client.get(f"/search?q=echidna&sort={sort}"))
             for sort in ("relevance", "newest", "loved", "discussed")}
    assert set(order["relevance"][:2]) == {gist_id(1), gist_id(3)} and order["relevance"][2] == gist_id(2)
    assert order["newest"] == [gist_id(2), gist_id(3), gist_id(1)]
    assert order["loved"] == [gist_id(2), gist_id(3), gist_id(1)]
    assert order["discussed"] == [gist_id(1), gist_id(3), gist_id(2)]
    page = await client.get("/search?q=echidna&sort=newest")
    assert '<option value="newest" selected>' in page.text


async def test_is_loved_finds_the_signed_in_persons_loves_only(db, client, settings):
    ada, bob = await make_user(db, "ada"), await make_user(db, "bob")
    for n in (1, 2, 3):
        await make_gist(db, gist_id(n), ada, f"kiwi {n}")
    await make_love(db, gist_id(2), bob)
    await make_love(db, gist_id(3), ada)
    as_bob = await client_for(settings, bob)
    assert found(await as_bob.get("/search?q=kiwi+is:loved")) == [gist_id(2)]
    assert found(await as_bob.get("/search?q=is:loved")) == [gist_id(2)]
    refused = await client.get("/search?q=kiwi+is:loved")
    assert refused.code == 400 and "sign in to use it" in refused.text


async def test_a_bad_filter_or_sort_is_a_400_saying_why_on_the_page_and_in_the_api(db, client):
    for path, says in [("/search?q=colour:red", "is not a filter"), ("/search?q=x+in:files", "not a place"),
                       ("/search?q=x&sort=best", "not a way to sort"), ("/search?q=x&in=files", "not a place"),
                       ("/search?q=is:starred", "is:loved")]:
        page = await client.get(path)
        assert page.code == 400 and says in page.text and 'name="q"' in page.text, path
    api = await client.get("/api/v1/search?q=colour:red")
    assert api.code == 400 and api.json()["error"]["code"] == "invalid_query"
    assert "“colour:” is not a filter" in api.json()["error"]["message"]
    assert (await client.get("/api/v1/search?q=x+is:loved")).json()["error"]["message"].startswith("is:loved")
    sort = await client.get("/api/v1/search?q=x&sort=best")
    assert sort.code == 400 and sort.json()["error"]["code"] == "invalid_parameter"


async def test_the_api_filters_and_sorts_as_the_page_does(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "dingo old", submitted_at=days_ago(2), languages=["Go"])
    await make_gist(db, gist_id(2), ada, "dingo dingo new", submitted_at=days_ago(1), languages=["Python"])
    newest = (await client.get("/api/v1/search?q=dingo&sort=newest")).json()
    assert [item["gist"]["id"] for item in newest["items"]] == [gist_id(2), gist_id(1)]
    only_go = (await client.get("/api/v1/search?q=dingo+language:go")).json()
    assert only_go["total_count"] == 1 and only_go["items"][0]["gist"]["id"] == gist_id(1)


async def test_a_word_near_the_end_of_a_370_kb_file_is_found_on_its_line(db, client):
    ada = await make_user(db, "ada")
    lines = [f"filler_{n} = {n}  # nothing to see" for n in range(11_000)] + ["capybara = 'at the end'"]
    body = "\n".join(lines) + "\n"
    assert len(body) > 370_000
    await make_gist(db, gist_id(1), ada, "big", files={"big.py": body})
    page = await client.get("/search?q=capybara")
    assert found(page) == [gist_id(1)]
    assert f'href="/gists/{gist_id(1)}#file-1-L11001">big.py, line 11001</a>' in page.text


async def test_the_index_follows_edits_hiding_removal_and_comments(db, client, settings, site):
    ada, admin = await make_user(db, "ada"), await make_user(db, "admin")
    await make_gist(db, gist_id(1), ada, "tapir", tags=["old"])
    await make_gist(db, gist_id(2), ada, "tapir too")
    assert set(found(await client.get("/search?q=tapir"))) == {gist_id(1), gist_id(2)}
    as_ada = await client_for(settings, ada)
    assert (await as_ada.post(f"/gists/{gist_id(1)}/tags", {"tags": "okapi"})).code == 303
    assert found(await client.get("/search?q=okapi")) == [gist_id(1)]
    assert found(await client.get("/search?q=tapir+tag:old")) == []
    assert (await as_ada.post(f"/gists/{gist_id(2)}/comments", {"body": "A word: saiga."})).code == 303
    assert found(await client.get("/search?q=saiga")) == [gist_id(2)]
    moderation = site.services.moderation
    await moderation.hide_gist(await moderation.item("gist", gist_id(1)), admin, "test")
    assert found(await client.get("/search?q=tapir")) == [gist_id(2)]
    assert found(await client.get("/search?q=okapi")) == []
    await moderation.show_gist(await moderation.item("gist", gist_id(1)), admin, "test")
    assert found(await client.get("/search?q=okapi")) == [gist_id(1)]
    assert (await as_ada.post(f"/gists/{gist_id(1)}/comments", {"body": "Another: saiga."})).code == 303
    assert set(found(await client.get("/search?q=saiga"))) == {gist_id(1), gist_id(2)}
    await moderation.hide_gist(await moderation.item("gist", gist_id(1)), admin, "test")
    assert found(await client.get("/search?q=saiga")) == [gist_id(2)]
    await moderation.show_gist(await moderation.item("gist", gist_id(1)), admin, "test")   # its discussion too
    assert set(found(await client.get("/search?q=saiga"))) == {gist_id(1), gist_id(2)}
    await moderation.remove(await moderation.item("gist", gist_id(2)), admin, "test")
    assert found(await client.get("/search?q=tapir")) == [gist_id(1)]
    assert found(await client.get("/search?q=saiga")) == [gist_id(1)]


async def test_pages_of_the_best_matches_are_the_order_a_filter_that_keeps_them_all_gives(db, client):
    # Unfiltered, only the hits scoring at least a page's last are sorted (storage/search_sql.py): the
    # same order, ties across a page's end included, as with a filter that leaves every gist in.
    ada = await make_user(db, "ada")
    for n in range(45):
        await make_gist(db, gist_id(n), ada, " ".join(["dingo"] * (1 + n % 4) + ["x"] * (n % 3)),
                        submitted_at=days_ago(n % 5))

    async def every_page(query: str) -> list[str]:
        return [gist for page in (1, 2, 3) for gist in found(await client.get(f"/search?q={query}&page={page}"))]
    unfiltered = await every_page("dingo")
    assert sorted(unfiltered) == sorted(gist_id(n) for n in range(45))
    assert unfiltered == await every_page("dingo+user:ada")
