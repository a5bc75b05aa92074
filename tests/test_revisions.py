"""Revisions (issue 11): every revision seen, one revision's files fetched once, comparisons, line comments across revisions."""

import datetime
import re
import time

import pytest
from tornado.escape import xhtml_escape

from tests.client import Client
from tests.discussion import HELLO, comment, submit
from tests.test_http_caching import revalidates
from tests.test_comment_live import connect, messages_until
from tornadogists.db.migrate import MIGRATIONS_DIR, _modules
from tornadogists.services.revisions import NEW_COMPARISONS_PER_HOUR
from tornadogists.storage import Storage
from tornadogists.storage.revisions import NEWEST_FIRST

OLD_HELLO_LINE_6 = "class HelloHandler(tornado.web.RequestHandler):"
UNKNOWN_SHA = "0123456789abcdef0123456789abcdef01234567"


def hello_py(fake_github) -> str:
    return fake_github.gists[HELLO]["files"]["hello.py"]["content"]


def with_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


async def refresh(client, db, gist_id: str = HELLO):
    await db.rate_limits.delete_many({})   # a gist is fetched at most once a minute
    response = await client.post(f"/gists/{gist_id}/refresh")
    assert response.code == 303, response.text


async def two_more_revisions(signed_in, fake_github, db) -> tuple[str, str, str]:
    """HELLO submitted at its first revision, then changed twice on GitHub and refreshed: the three shas."""
    await submit(signed_in)
    first = fake_github.gists[HELLO]["history"][0]["version"]
    second = fake_github.commit(HELLO, {"hello.py": with_line(hello_py(fake_github), 6, "class Hi(tornado.web.RequestHandler):")})
    third = fake_github.commit(HELLO, {"notes.txt": "one\ntwo\n"}, renames={"README.md": "GUIDE.md"})
    await refresh(signed_in, db)
    return first, second, third


async def test_every_revision_seen_is_listed_newest_first_with_its_changes(signed_in, fake_github, db):
    first, second, third = await two_more_revisions(signed_in, fake_github, db)
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert f'href="/gists/{HELLO}/revisions">revision 3 of 3</a>' in page
    listing = await signed_in.get(f"/gists/{HELLO}/revisions")
    assert listing.code == 200
    names = re.findall(r'href="/gists/\w+/revisions/([0-9a-f]{40})">Revision (\d)', listing.text)
    assert names == [(third, "3"), (second, "2"), (first, "1")]
    assert '<span class="additions">+1</span> <span class="deletions">−1</span>' in listing.text   # the second
    assert '<span class="additions">+26</span> <span class="deletions">−0</span>' in listing.text   # GitHub's first
    # One click compares a revision with the one before it.
    assert f'href="/gists/{HELLO}/compare/{second}...{third}">Compare with revision 2</a>' in listing.text
    assert f'href="/gists/{HELLO}/compare/{first}...{second}">Compare with revision 1</a>' in listing.text


async def test_a_revision_is_fetched_once_on_first_view_highlighted_and_kept(signed_in, fake_github, db):
    first, second, third = await two_more_revisions(signed_in, fake_github, db)
    before = len(fake_github.requests_to(f"/gists/{HELLO}/{second}"))
    assert before == 0   # a revision's files are asked for when someone wants to see them
    pages = [await signed_in.get(f"/gists/{HELLO}/revisions/{second}") for _ in range(3)]
    assert {p.code for p in pages} == {200}
    assert len(fake_github.requests_to(f"/gists/{HELLO}/{second}")) == 1
    text = pages[0].text
    assert "Revision 2 of 3" in text and "<i class=k>class</i> <i class=nc>Hi</i>" in text
    assert 'id=file-2-L6' in text and "README.md" in text and "GUIDE.md" not in text
    assert f'href="/gists/{HELLO}/compare/{first}...{second}"' in text
    assert f'href="/gists/{HELLO}/compare/{second}...{third}">Compare with the current revision' in text
    assert (await db.gist_revision_files.count_documents({"gist_id": HELLO})) == 3
    # The first and current ones were stored when they arrived: no call at all.
    for sha in (first, third):
        assert (await signed_in.get(f"/gists/{HELLO}/revisions/{sha}")).code == 200
        assert fake_github.requests_to(f"/gists/{HELLO}/{sha}") == []


async def test_a_sha_never_seen_is_a_404_and_github_is_not_asked(signed_in, fake_github, db):
    await submit(signed_in)
    calls = len(fake_github.requests)
    for path in (f"/gists/{HELLO}/revisions/{UNKNOWN_SHA}", f"/gists/{HELLO}/revisions/xyz",
                 f"/gists/{HELLO}/compare/{UNKNOWN_SHA}...{UNKNOWN_SHA}", "/gists/0123456789abcdef0123/revisions"):
        response = await signed_in.get(path)
        assert response.code == 404 and "There is nothing here" in response.text, path
    assert len(fake_github.requests) == calls


@pytest.mark.parametrize("failure, status, message", [
    ((404, {}, {"message": "Not Found"}), 404, "GitHub no longer has this revision"),
    ((500, {}, "oops"), 502, "GitHub is unreachable right now"),
    ((403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 600)},
      {"message": "API rate limit exceeded"}), 429, "GitHub's rate limit is reached"),
])
async def test_github_failing_to_send_a_revision_is_a_clear_message(signed_in, fake_github, db, failure, status,
                                                                   message):
    first, second, third = await two_more_revisions(signed_in, fake_github, db)
    fake_github.failures[f"{HELLO}/{second}"] = failure
    for path in (f"/gists/{HELLO}/revisions/{second}", f"/gists/{HELLO}/compare/{second}...{third}"):
        response = await signed_in.get(path)
        assert response.code == status and xhtml_escape(message) in response.text and "Traceback" not in response.text
    page = await signed_in.get(f"/gists/{HELLO}")   # the stored copy is still served
    assert page.code == 200 and "revision 3 of 3" in page.text
    assert (await signed_in.get(f"/gists/{HELLO}/revisions/{third}")).code == 200


async def test_a_comparison_shows_each_files_unified_diff_with_both_line_numbers(signed_in, fake_github, db):
    first, second, third = await two_more_revisions(signed_in, fake_github, db)
    response = await signed_in.get(f"/gists/{HELLO}/compare/{first}...{third}")
    assert response.code == 200
    text = response.text
    statuses = re.findall(r'<span class="diff-status (\w+)">\w+</span>\s*<span class="file-name">([^<]+)</span>', text)
    assert statuses == [("renamed", "README.md → GUIDE.md"), ("modified", "hello.py"), ("added", "notes.txt")]
    assert "Renamed; its text is the same." in text
    assert "@@ -3,7 +3,7 @@" in text
    removed = re.search(r'<tr class="del"><td class="num" data-n="6"></td><td class="num" data-n=""></td>'
                        r'<td><span class="sign">−</span>(.*?)</td></tr>', text)
    added = re.search(r'<tr class="add"><td class="num" data-n=""></td><td class="num" data-n="6"></td>'
                      r'<td><span class="sign">\+</span>(.*?)</td></tr>', text)
    assert removed and "<i class=nc>HelloHandler</i>" in removed.group(1)
    assert added and "<i class=nc>Hi</i>" in added.group(1)
    assert '<tr class="context"><td class="num" data-n="7"></td><td class="num" data-n="7"></td>' in text
    same = await signed_in.get(f"/gists/{HELLO}/compare/{third}...{third}")
    assert same.code == 200 and "No changes: the files are the same in both revisions." in same.text


async def test_a_line_comment_on_an_older_revision_links_there_and_says_what_changed(signed_in, fake_github, db):
    await submit(signed_in)
    first = fake_github.gists[HELLO]["history"][0]["version"]
    on_changed = await comment(signed_in, "Why subclass?", file="hello.py", line="6")
    on_same = await comment(signed_in, "Nice docstring", file="hello.py", line="1")
    on_readme = await comment(signed_in, "Good title", file="README.md", line="1")
    fake_github.commit(HELLO, {"hello.py": with_line(hello_py(fake_github), 6, "class Hi(tornado.web.RequestHandler):")})
    await refresh(signed_in, db)
    page = (await signed_in.get(f"/gists/{HELLO}")).text

    def head(comment_id: str) -> str:
        return re.search(rf'id="comment-{comment_id}".*?</header>', page, re.S).group(0)

    link = f'href="/gists/{HELLO}/revisions/{first}#file-2-L6"><code>hello.py</code> line 6</a>'
    assert link in head(on_changed) and "this line changed since" in head(on_changed)
    assert "the file changed since" in head(on_same) and "this line changed" not in head(on_same)
    assert f"/revisions/{first}#file-1-L1" in head(on_readme) and "changed since" not in head(on_readme)
    assert all("on an older revision" in head(c) for c in (on_changed, on_same, on_readme))
    old = (await signed_in.get(f"/gists/{HELLO}/revisions/{first}")).text
    assert "id=file-2-L6" in old and "HelloHandler" in old


async def test_a_gist_hidden_by_the_moderators_hides_its_revisions_too(signed_in, settings, db):
    await submit(signed_in)
    first = (await db.gists.find_one({"gist_id": HELLO}))["revision"]
    await db.gists.update_one({"gist_id": HELLO}, {"$set": {"hidden": ["admin"]}})
    anonymous = Client(settings.site_url)
    for path in ("revisions", f"revisions/{first}", f"compare/{first}...{first}"):
        assert (await anonymous.get(f"/gists/{HELLO}/{path}")).code == 404
        assert (await signed_in.get(f"/gists/{HELLO}/{path}")).code == 200   # its submitter still sees it
    anonymous.close()


async def test_gists_imported_before_revisions_get_their_current_one(signed_in, db):
    await submit(signed_in)
    await db.gist_revisions.delete_many({})
    await db.gist_revision_files.delete_many({})
    await db.gists.update_one({"gist_id": HELLO}, {"$unset": {"revision_count": "", "revision_number": ""}})
    [migration] = [module for name, module in _modules(MIGRATIONS_DIR) if name.endswith("_revisions")]
    await migration.up(db)
    await migration.up(db)   # idempotent
    gist = await db.gists.find_one({"gist_id": HELLO})
    assert (gist["revision_count"], gist["revision_number"]) == (1, 1)
    [revision] = await db.gist_revisions.find().to_list()
    assert revision["_id"] == f"{HELLO}/{gist['revision']}"
    files = (await db.gist_revision_files.find_one({"_id": revision["_id"]}))["files"]
    assert files == (await db.gist_files.find_one({"_id": HELLO}))["files"]


async def test_an_older_revisions_line_comment_edited_live_still_says_what_changed(signed_in, settings, fake_github, db):
    await submit(signed_in)
    first = fake_github.gists[HELLO]["history"][0]["version"]
    on_changed = await comment(signed_in, "Why subclass?", file="hello.py", line="6")
    fake_github.commit(HELLO, {"hello.py": with_line(hello_py(fake_github), 6, "class Hi(tornado.web.RequestHandler):")})
    await refresh(signed_in, db)
    ws = await connect(settings.site_url)
    response = await signed_in.post(f"/gists/{HELLO}/comments/{on_changed}/edit", {"body": "Why *subclass*?"})
    assert response.code == 303
    [message] = [m for m in await messages_until(ws, on_changed, "edited") if m["type"] == "edited"]
    assert "this line changed since" in message["html"]
    assert f"/gists/{HELLO}/revisions/{first}#file-2-L6" in message["html"]
    ws.close()


async def test_new_comparisons_are_limited_per_network_and_those_made_stay_free(signed_in, fake_github, db):
    await submit(signed_in)
    shas = [fake_github.gists[HELLO]["history"][0]["version"]]
    for n in range(5):
        shas.append(fake_github.commit(HELLO, {"notes.txt": f"change {n}\n"}))
    await refresh(signed_in, db)
    pairs = [(old, new) for old in shas for new in shas]
    assert len(pairs) > NEW_COMPARISONS_PER_HOUR
    for old, new in pairs[:NEW_COMPARISONS_PER_HOUR]:
        assert (await signed_in.get(f"/gists/{HELLO}/compare/{old}...{new}")).code == 200
    old, new = pairs[NEW_COMPARISONS_PER_HOUR]
    refused = await signed_in.get(f"/gists/{HELLO}/compare/{old}...{new}")
    assert refused.code == 429 and "many new comparisons" in refused.text
    old, new = pairs[0]   # made already: kept, and shown without counting
    assert (await signed_in.get(f"/gists/{HELLO}/compare/{old}...{new}")).code == 200


async def test_revision_pages_answer_304_to_anonymous_readers_until_a_new_revision(signed_in, fake_github, db, settings):
    first, second, third = await two_more_revisions(signed_in, fake_github, db)
    visitor = Client(settings.site_url)
    paths = [f"/gists/{HELLO}/revisions", f"/gists/{HELLO}/revisions/{second}", f"/gists/{HELLO}/compare/{first}...{third}"]
    etags = {path: await revalidates(visitor, path) for path in paths}
    fake_github.commit(HELLO, {"notes.txt": "three\n"})
    await refresh(signed_in, db)
    listing = await visitor.get(paths[0], headers={"If-None-Match": etags[paths[0]]})
    assert listing.code == 200 and "revision 4" in listing.text.lower()


async def test_a_gists_revisions_are_listed_in_mongodbs_own_newest_first_order(db):
    # listing() sorts in Python (the embedded engine's sort scanned every revision of the site):
    # the same order as the database's own sort, a revision without a time last, ties by _id.
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    times = [at, at + datetime.timedelta(days=2), None, at + datetime.timedelta(days=2), at, None]
    await db.gist_revisions.insert_many([{"_id": f"{HELLO}/{n:040x}", "gist_id": HELLO, "sha": f"{n:040x}",
                                          "committed_at": when} for n, when in enumerate(times)]
                                        + [{"_id": f"other/{0:040x}", "gist_id": "other", "committed_at": at}])
    mongodb = await db.gist_revisions.find({"gist_id": HELLO}).sort(NEWEST_FIRST).to_list()
    listed = await Storage(db).revisions.listing(HELLO)
    assert [doc["_id"] for doc in listed] == [doc["_id"] for doc in mongodb]
    assert [doc["committed_at"] for doc in listed][-2:] == [None, None]
