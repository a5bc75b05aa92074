"""Rendered HTML stays within a few times its text, and nothing renders unbounded in the site (issue 22, item 1)."""

import asyncio
import json
import copy

from tests.discussion import HELLO, comment, post, submit
from tests.test_revisions import refresh
from tornadogists.services.comments import MAX_BODY
from tornadogists.services.gists import build_files
from tornadogists.services.rendering import Renderer
from tornadogists.text.markdown import GROWTH, GROWTH_CONSTANT, plain_html, render_markdown
from tornadogists.workers import TooSlow, run_with_time_limit

# The inputs, exactly: the sanitiser re-opened each unclosed <em> in every <p>.
UNCLOSED = "".join(f"<em a={n}>" for n in range(1000))
BLOW_UP = UNCLOSED + "<p>x" * 1550                                     # 16 KB -> 14 MB on main
BLOW_UP_20K = UNCLOSED + "<p>x" * ((MAX_BODY - len(UNCLOSED)) // 4)  # a 500 on main
# The same with each <p> hidden from a tag scanner inside an attribute: only the size bound catches it.
DISGUISED = "".join(f'<em a={n}><span title="<p>">' for n in range(1000)) + "<p>x" * 1550
README_64K = (UNCLOSED * 3 + "<p>x" * 5000)[:64 * 1024]
BIG_GIST = "b1b1b1b1b1b1b1b1b1b1"


def bound(text: str) -> int:
    return GROWTH * len(text) + GROWTH_CONSTANT


def test_unclosed_formatting_before_many_paragraphs_renders_within_the_bound():
    html = render_markdown(BLOW_UP)
    assert len(html) <= bound(BLOW_UP)
    assert html.count("<em") == 1000 and html.count("<p>x</p>") == 1550


def test_output_past_the_bound_is_the_text_as_written_escaped():
    html = render_markdown(DISGUISED)
    assert html == plain_html(DISGUISED)
    assert "&lt;em a=999&gt;" in html and "<em" not in html and len(html) <= 2 * bound(DISGUISED)


def test_ordinary_markdown_keeps_its_nesting():
    assert render_markdown("*a **b** c*") == "<p><em>a <strong>b</strong> c</em></p>"
    assert render_markdown('<em>a <img src="x.png" alt="y"> b</em>') == '<p><em>a <img src="x.png" alt="y"> b</em></p>'


def _allocate():
    return len(bytearray(2 * 1024 ** 3))


def test_a_child_past_its_memory_limit_is_too_slow_not_a_crash():
    try:
        run_with_time_limit(10, _allocate)
    except TooSlow as error:
        assert "died" in str(error)
    else:
        raise AssertionError("a 2 GB allocation succeeded in a child")


async def test_a_render_that_fails_in_its_child_is_shown_escaped_without_rendering_in_the_site():
    # README_64K takes ~0.3 s to render even uncoloured: hundreds of times the limit, so both tries
    # time out however fast the machine (a 6-byte README once rendered within the 1 ms in CI).
    renderer = Renderer(files_seconds=0.001, image_key=b"test")
    files = {"README.md": {"filename": "README.md", "content": README_64K, "size": len(README_64K)}}
    assert await renderer.gist_files(files, 1024 * 1024) == [await asyncio.to_thread(_plain_readme, files)]


def _plain_readme(files):
    return build_files(files, 1024 * 1024, highlight=False, markdown=False)[0]


async def test_the_blow_up_as_a_comment_keeps_the_page_api_and_feeds_small(signed_in, db):
    await submit(signed_in)
    sizes = {path: len((await signed_in.get(path)).body) for path in
             (f"/gists/{HELLO}", f"/api/v1/gists/{HELLO}/comments", "/feeds/comments.atom")}
    await comment(signed_in, BLOW_UP)
    for path, before in sizes.items():
        response = await signed_in.get(path)
        assert response.code == 200
        # the text once as HTML, once escaped in the feed's or API's other fields: far from 14 MB
        assert len(response.body) - before <= 3 * bound(BLOW_UP), path


async def test_the_20k_blow_up_is_stored_and_shown(signed_in, db):
    await submit(signed_in)
    assert len(BLOW_UP_20K) <= MAX_BODY
    assert (await post(signed_in, BLOW_UP_20K)).code == 303
    page = await signed_in.get(f"/gists/{HELLO}")
    assert page.code == 200 and len(page.body) < 4 * bound(BLOW_UP_20K)


async def test_a_64k_readme_and_a_64k_github_comment_leave_the_site_up(signed_in, fake_github, db):
    gist = copy.deepcopy(fake_github.gists[HELLO])
    gist["id"] = BIG_GIST
    gist["files"]["README.md"] = {**gist["files"]["README.md"], "content": README_64K, "size": len(README_64K)}
    fake_github.add_gist(gist)
    response = await signed_in.post("/gists", {"url": BIG_GIST})
    assert response.code == 303, response.text
    fake_github.add_comment(BIG_GIST, README_64K)
    await refresh(signed_in, db, BIG_GIST)
    page = await signed_in.get(f"/gists/{BIG_GIST}")
    assert page.code == 200 and len(page.body) < 6 * bound(README_64K)
    assert (await signed_in.get("/healthz")).code == 200


async def test_the_blow_up_as_a_preview_and_as_an_intro_stays_within_the_bound(signed_in, db):
    preview = await signed_in.post("/preview", {"body": BLOW_UP})
    assert preview.code == 200 and len(json.loads(preview.body)["html"]) <= bound(BLOW_UP)
    assert (await signed_in.post("/gists", {"url": HELLO, "intro": BLOW_UP})).code == 303
    stored = await db.gists.find_one({"gist_id": HELLO})
    assert len(stored["intro_html"]) <= bound(BLOW_UP) and stored["intro_html"].count("<p>x</p>") == 1550
    assert len((await signed_in.get(f"/gists/{HELLO}")).body) <= 3 * bound(BLOW_UP)   # 14 MB before issue 22
