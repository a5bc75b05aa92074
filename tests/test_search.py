"""Full-text search over descriptions, tags, file names, file contents and comments."""

import re

from tests.crafted import days_ago, gist_id, make_comment, make_gist, make_user
from tests.html_checks import active_content
from tornadogists.db.migrate import MIGRATIONS_DIR, _modules
from tornadogists.storage.search_index import SqliteSearchIndex
from tornadogists.text.search_query import parse_query

HELLO = "aa5a315d61ae9438b18d"
CARD_TITLE = re.compile(r'<h2><a href="/gists/([0-9a-f]+)">')


def found(page) -> list[str]:
    return CARD_TITLE.findall(page.text.split('class="cards results"', 1)[-1])


async def test_a_word_only_in_a_files_content_finds_the_imported_gist(signed_in, db):
    assert (await signed_in.post("/gists", {"url": HELLO})).code == 303
    page = await signed_in.get("/search?q=HelloHandler")
    assert page.code == 200
    assert found(page) == [HELLO]
    assert f'href="/gists/{HELLO}#file-2-L6">hello.py, line 6</a>' in page.text
    assert "<mark>HelloHandler</mark>" in page.text
    assert "search_text" not in await db.gists.find_one({"gist_id": HELLO})  # listings stay light
    assert "HelloHandler" in (await db.gist_files.find_one({"_id": HELLO}))["search_text"]


async def test_a_word_only_in_a_comment_finds_the_gist_with_the_comment(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "Plain gist")
    await make_gist(db, gist_id(2), ada, "Other gist")
    comment = await make_comment(db, gist_id(1), ada, "This reminds me of a quokka in a hat.")
    await make_comment(db, gist_id(2), ada, "", deleted=True)
    page = await client.get("/search?q=quokka")
    assert found(page) == [gist_id(1)]
    assert f'href="/gists/{gist_id(1)}#comment-{comment["_id"]}">Comment by ada</a>' in page.text
    assert "a <mark>quokka</mark> in a hat" in page.text


async def test_a_deleted_comment_is_not_found(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada)
    await make_comment(db, gist_id(1), ada, "wombat", deleted=True)
    page = await client.get("/search?q=wombat")
    assert found(page) == [] and "Nothing matches" in page.text


async def test_a_word_only_in_a_tag_finds_the_gist(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "Untitled", tags=["asyncio"])
    await make_gist(db, gist_id(2), ada, "Untitled too", tags=["sync"])
    assert found(await client.get("/search?q=asyncio")) == [gist_id(1)]


async def test_a_file_name_is_found(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, files={"setup.cfg": "[metadata]\n", "other.py": "x = 1\n"})
    page = await client.get("/search?q=setup")
    assert found(page) == [gist_id(1)] and f'href="/gists/{gist_id(1)}#file-1">setup.cfg</a>' in page.text


async def test_descriptions_and_tags_outrank_contents_and_comments(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "nothing", files={"a.py": "marmot = 1\n"}, submitted_at=days_ago(1))
    await make_gist(db, gist_id(2), ada, "A marmot in the description", submitted_at=days_ago(3))
    await make_gist(db, gist_id(3), ada, "nothing", tags=["marmot"], submitted_at=days_ago(2))
    await make_gist(db, gist_id(4), ada, "nothing")
    await make_comment(db, gist_id(4), ada, "marmot")
    ranked = found(await client.get("/search?q=marmot"))
    assert set(ranked[:2]) == {gist_id(2), gist_id(3)} and set(ranked[2:]) == {gist_id(1), gist_id(4)}


async def test_results_are_paginated(db, client):
    ada = await make_user(db, "ada")
    for n in range(23):
        await make_gist(db, gist_id(n), ada, f"numbat {n}")
    first, second = await client.get("/search?q=numbat"), await client.get("/search?q=numbat&page=2")
    assert len(found(first)) == 20 and len(found(second)) == 3
    assert set(found(first)) | set(found(second)) == {gist_id(n) for n in range(23)}
    assert "23 gists found" in first.text and 'href="?q=numbat&amp;page=2"' in first.text


async def test_an_empty_query_shows_the_form(client):
    for path in ("/search", "/search?q=", "/search?q=%20%20"):
        page = await client.get(path)
        assert page.code == 200 and 'name="q"' in page.text and "found" not in page.text
        assert "Nothing matches" not in page.text


async def test_a_query_over_200_characters_is_a_400(client):
    assert (await client.get("/search?q=" + "a" * 200)).code == 200
    page = await client.get("/search?q=" + "a" * 201)
    assert page.code == 400 and "at most 200 characters" in page.text


async def test_odd_queries_never_fail(db, client):
    await make_gist(db, gist_id(1), await make_user(db, "ada"), "ok")
    for query in ('"', '-', '--x', '"unclosed phrase', '\\', '$where', '{"$gt": ""}', '%00', '*', 'ünïcödé'):
        response = await client.get("/search?q=" + query.replace("%", "%25").replace('"', "%22").replace(" ", "+"))
        assert response.code == 200, query


async def test_markup_in_the_query_and_in_matches_is_escaped(db, client):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, "<img src=x onerror=alert(1)> xsstoken",
                    files={"evil.html": "<script>alert('xsstoken')</script>\n"})
    await make_comment(db, gist_id(1), ada, "<svg onload=alert(2)> xsstoken")
    page = await client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E+xsstoken")
    assert page.code == 200 and found(page) == [gist_id(1)]
    assert active_content(page.text) == []


async def test_gists_stored_before_search_are_found_after_the_migrations(db, client):
    """A gist in its first shape (files inside, no search fields) is searchable once migrated."""
    ada = await make_user(db, "ada")
    files = [{"n": 1, "name": "old.py", "content": "pangolin = 1\n", "lines": ["pangolin = 1"], "kind": "text"}]
    await db.gists.insert_one({"gist_id": gist_id(1), "description": "From before", "tags": [], "files": files,
                               "file_count": 1, "languages": [], "submitted_at": days_ago(1),
                               "submitter": {"id": ada["_id"], "handle": "ada"}, "deleted": False})
    await db.gists.drop_index("search")  # as before 0005 ran
    migrations = dict(_modules(MIGRATIONS_DIR))
    for name in ("0005_discovery", "0006_gist_files", "0007_search_text"):
        await migrations[name].up(db)
    gist = await db.gists.find_one({"gist_id": gist_id(1)})
    assert gist["file_names"] == "old.py" and gist["loves"] == 0 and "search_text" not in gist
    assert found(await client.get("/search?q=pangolin")) == [gist_id(1)]


async def test_a_new_index_reads_every_gist_a_page_at_a_time(db, tmp_path):
    """Building the index pages through the gists (20 at a time here, 200 on the site): none is left out, none twice."""
    ada = await make_user(db, "ada")
    for n in range(45):
        await make_gist(db, gist_id(n), ada, f"Gist {n} about capybaras")
    await make_comment(db, gist_id(44), ada, "The last one has a tapir.")
    index = SqliteSearchIndex(tmp_path / "new.sqlite", db.gists, db.gist_files, db.comments, batch=20)
    try:
        total, hits = await index.find(parse_query("capybaras"), None, "newest", 0, 500)
        assert total == 45 and sorted(hit["gist_id"] for hit in hits) == sorted(gist_id(n) for n in range(45))
        assert [hit["gist_id"] for hit in (await index.find(parse_query("tapir"), None, "newest", 0, 10))[1]] == [gist_id(44)]
    finally:
        await index.close()
