"""Input shaped to be slow (huge tag lists, pathological Markdown or code): the site stays responsive."""

import asyncio
import copy
import dataclasses
import time

import pytest

from tests.client import Client
from tests.crafted import client_for, gist_id, make_gist, make_user
from tests.discussion import HELLO, post
from tornadogists.text.tags import MAX_FIELD, InvalidTags, parse_tags

# The inputs, exactly.
TAGS_100K = ",".join(f"t{n}" for n in range(100_000))   # 868 KB
TAGS_50K = ",".join(f"t{n}" for n in range(50_000))
PATHOLOGICAL = {
    "brackets": "[" * 20000,
    "images": "![" * 10000,
    "balanced": "[" * 10000 + "]" * 10000,
    "cdata": "<![CDATA[" * 2000,
}
ATTACKERS = 6   # as many as the issue sent at once
# Not in the issue: Pygments' lexers have blow-ups of their own, within the length limits.
ASPECTJ = "```aspectj\n" + "\n".join([("a " * 30)[:60]] * 320) + "\n```"   # ~25 s to highlight
RST_FILE = ":" * 100_000   # a reStructuredText file: minutes to highlight
HOSTILE_GIST = "dd8d648e94c1a72d1e0f"


@pytest.fixture
def settings(settings):
    """A gist's files get a second to be highlighted, not the default 30."""
    return dataclasses.replace(settings, render_seconds=1)


async def while_responsive(site_url: str, *requests, every: float = 0.05):
    """Send `requests` at once; until all are answered, /healthz is asked every `every` seconds.

    Each must answer within a second of being due: a blocked loop delays the asking too,
    so a block between two asks is caught as well as one during an ask.
    """
    watcher = Client(site_url)
    tasks = [asyncio.ensure_future(request) for request in requests]
    try:
        start, slot = time.monotonic(), 0
        while True:
            due = start + slot * every
            await asyncio.sleep(due - time.monotonic())
            response = await asyncio.wait_for(watcher.get("/healthz"), 1)
            late = time.monotonic() - due
            assert response.code == 200 and late < 1, f"/healthz answered {late:.1f} s after it was due"
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            slot = max(slot + 1, int((time.monotonic() - start) / every) + 1)
    finally:
        for task in tasks:
            task.cancel()
        watcher.close()


async def test_a_huge_tags_field_on_submit_is_refused_while_the_site_stays_responsive(signed_in, settings, db):
    [response] = await while_responsive(settings.site_url,
                                        signed_in.post("/gists", {"url": "88888", "tags": TAGS_100K}))
    assert response.code == 400
    assert "Too many tags: at most 8 a gist" in response.text
    assert await db.gists.count_documents({}) == 0


async def test_a_huge_tags_field_on_edit_is_refused_while_the_site_stays_responsive(db, settings):
    ada = await make_user(db, "ada")
    await make_gist(db, gist_id(1), ada, tags=["kept"])
    client = await client_for(settings, ada)
    try:
        [response] = await while_responsive(settings.site_url,
                                            client.post(f"/gists/{gist_id(1)}/tags", {"tags": TAGS_50K}))
    finally:
        client.close()
    assert response.code == 400
    assert "Too many tags: at most 8 a gist" in response.text
    assert (await db.gists.find_one({"gist_id": gist_id(1)}))["tags"] == ["kept"]


def test_the_tags_field_limit_counts_characters_and_duplicates_collapse():
    assert parse_tags("a," * (MAX_FIELD // 2)) == ["a"]   # exactly MAX_FIELD characters
    with pytest.raises(InvalidTags, match="Too many tags"):
        parse_tags("a," * (MAX_FIELD // 2) + "b")


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
async def test_pathological_previews_do_not_starve_a_normal_one(signed_in, settings, source):
    async def normal_preview():
        await asyncio.sleep(0.2)   # behind the attackers
        return await asyncio.wait_for(signed_in.post("/preview", {"body": "A *normal* preview"}), 5)

    *attacks, normal = await while_responsive(
        settings.site_url, *[signed_in.post("/preview", {"body": source}) for _ in range(ATTACKERS)],
        normal_preview())
    assert [response.code for response in attacks] == [200] * ATTACKERS
    assert normal.code == 200 and "<em>normal</em>" in normal.json()["html"]


async def test_pathological_comments_and_intros_are_stored_while_the_site_stays_responsive(
        signed_in, settings, db):
    response = await signed_in.post("/gists", {"url": HELLO, "intro": PATHOLOGICAL["images"]})
    assert response.code == 303, response.text
    answers = await while_responsive(settings.site_url, post(signed_in, PATHOLOGICAL["brackets"]),
                                     post(signed_in, PATHOLOGICAL["cdata"]))
    assert [answer.code for answer in answers] == [303, 303]
    page = await signed_in.get(f"/gists/{HELLO}")
    assert page.code == 200 and "[[[[[[[[" in page.text and "![![![![" in page.text
    assert await db.comments.count_documents({}) == 2


async def test_code_a_lexer_chokes_on_is_shown_uncoloured_without_starving_anyone(signed_in, settings, db):
    async def normal_preview():
        await asyncio.sleep(0.2)
        return await asyncio.wait_for(signed_in.post("/preview", {"body": "A *normal* preview"}), 5)

    assert (await signed_in.post("/gists", {"url": HELLO})).code == 303
    commented, previewed, normal = await while_responsive(
        settings.site_url, post(signed_in, ASPECTJ), signed_in.post("/preview", {"body": ASPECTJ}), normal_preview())
    assert commented.code == 303 and previewed.code == 200 and normal.code == 200
    html = previewed.json()["html"]
    assert html.startswith("<pre><code>a a a") and "<span" not in html   # rendered, without colours
    stored = await db.comments.find_one()
    assert stored["html"] == html


async def test_a_gist_file_a_lexer_chokes_on_is_stored_uncoloured_while_the_site_stays_responsive(
        signed_in, settings, fake_github, db):
    gist = copy.deepcopy(fake_github.gists[HELLO])
    gist["id"] = HOSTILE_GIST
    gist["files"]["notes.rst"] = {"filename": "notes.rst", "type": "text/x-rst", "language": "reStructuredText",
                                  "raw_url": f"{fake_github.base_url}/raw/{HOSTILE_GIST}/notes.rst",
                                  "size": len(RST_FILE), "truncated": False, "content": RST_FILE}
    fake_github.add_gist(gist)
    [response] = await while_responsive(settings.site_url, signed_in.post("/gists", {"url": HOSTILE_GIST}))
    assert response.code == 303, response.text
    page = await signed_in.get(f"/gists/{HOSTILE_GIST}")
    assert page.code == 200 and "notes.rst" in page.text and "::::::::" in page.text
    assert "<h1" in page.text   # the README is still rendered
