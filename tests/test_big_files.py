"""Big files render once: stored in their final compact form, every line anchored, line comments under their lines."""

import copy
import gzip

import tornado.httpclient

from tests.client import Client
from tests.code_lines import code_items, lines_of
from tests.discussion import comment
from tornadogists.services.gists import LINE_BUDGET
from tornadogists.text.highlight import SHOWN_LINES

BIG = "dd0d648a94e1a761f34c"
LINES = 6000


def big_js(lines: int = LINES) -> str:
    """A generated JavaScript module as dense in tokens as bench's big.js: 6,000 lines, ~375 KB."""
    head = [f"// big.js: a long generated module, {lines} lines.", '"use strict";', ""]
    body = [f"export const value{i:04d} = ({i} * 31 + 7) % 1009;  // line {i + 3}" for i in range(1, lines - 2)]
    return "\n".join(head + body) + "\n"


def add_big_gist(fake_github, source: str) -> None:
    gist = copy.deepcopy(fake_github.gists["aa5a315d61ae9438b18d"])
    gist.update(id=BIG, description="One big generated file", files={"big.js": {
        "filename": "big.js", "type": "text/javascript", "language": "JavaScript",
        "raw_url": f"{fake_github.base_url}/raw/{BIG}/big.js", "size": len(source.encode()),
        "truncated": False, "content": source, "encoding": "utf-8"}})
    fake_github.add_gist(gist)


async def test_a_6000_line_file_is_stored_in_final_form_and_its_page_is_under_3x_the_source(
        signed_in, fake_github, db, settings):
    source = big_js()
    add_big_gist(fake_github, source)
    assert (await signed_in.post("/gists", {"url": BIG})).code == 303
    [stored] = (await db.gist_files.find_one({"_id": BIG}))["files"]
    assert "lines" not in stored and stored["line_count"] == LINES
    anonymous = Client(settings.site_url)
    try:
        for client in (anonymous, signed_in):
            page = await client.get(f"/gists/{BIG}")
            assert page.code == 200
            # Without line comments, the stored HTML is the page's, inserted as it is, its lines after
            # the first SHOWN_LINES in a <noscript> (a browser with scripts lays out only the first).
            cut = stored["code_html"].index(f"<li id=file-1-L{SHOWN_LINES + 1}>")
            assert (stored["code_html"][:cut] + f'</li><noscript class="rest" data-from="{SHOWN_LINES + 1}">'
                    + stored["code_html"][cut:] + "</noscript></ol>") in page.text
            assert len(page.body) <= 3 * len(source.encode()), (len(page.body), len(source.encode()))
    finally:
        anonymous.close()
    lines = lines_of(page.text, 1)
    assert [line["id"] for line in lines] == [f"file-1-L{i}" for i in range(1, LINES + 1)]
    assert all(line["href"] == "#" + line["id"] for line in lines)
    assert [line["text"] for line in lines] == source.splitlines()


async def test_line_comments_of_a_big_file_show_under_their_lines_only(signed_in, fake_github):
    add_big_gist(fake_github, big_js())
    await signed_in.post("/gists", {"url": BIG})
    first = await comment(signed_in, "The first line", gist_id=BIG, file="big.js", line="1")
    middle = await comment(signed_in, "A middle line", gist_id=BIG, file="big.js", line="2999")
    again = await comment(signed_in, "The same middle line", gist_id=BIG, file="big.js", line="2999")
    last = await comment(signed_in, "The last line", gist_id=BIG, file="big.js", line=str(LINES))
    page = (await signed_in.get(f"/gists/{BIG}")).text
    items = code_items(page)
    held = [(index, item["data_line"], item["comments"]) for index, item in enumerate(items)
            if item["kind"] == "line-comments"]
    assert [(line, ids) for _, line, ids in held] == [("1", [first]), ("2999", [middle, again]), (str(LINES), [last])]
    for index, line, _ in held:
        assert items[index - 1]["id"] == f"file-1-L{line}"
    # Every line is still there, once, in order, each with its anchor.
    assert [item["id"] for item in items if item["kind"] == "line"] == [f"file-1-L{i}" for i in range(1, LINES + 1)]


async def test_a_file_of_very_many_short_lines_shows_its_first_lines_and_links_the_whole_file(
        signed_in, fake_github, db):
    source = "x\n" * 300_000   # 600 KB, under max_file_bytes: 17 MB of numbered lines was a 500 (issue 22)
    add_big_gist(fake_github, source)
    assert (await signed_in.post("/gists", {"url": BIG})).code == 303
    [stored] = (await db.gist_files.find_one({"_id": BIG}))["files"]
    assert (stored["line_count"], stored["lines_left_out"]) == (LINE_BUDGET, 300_000 - LINE_BUDGET)
    page = await signed_in.get(f"/gists/{BIG}")
    assert page.code == 200
    assert [line["id"] for line in lines_of(page.text, 1)][-1] == f"file-1-L{LINE_BUDGET}"
    assert (f'This file has been truncated ({300_000 - LINE_BUDGET:,} more lines), but you can '
            f'<a href="/gists/{BIG}/raw/big.js">view the full file</a>.') in page.text
    raw = await signed_in.get(f"/gists/{BIG}/raw/big.js")
    assert raw.code == 200 and raw.body == source.encode()
    held = await signed_in.post(f"/gists/{BIG}/comments", {"body": "Past the shown lines", "file": "big.js",
                                                           "line": str(LINE_BUDGET + 1)})
    assert held.code == 400 and f"big.js has lines 1 to {LINE_BUDGET}" in held.text


async def test_the_big_page_goes_gzipped_for_anyone_and_unzips_to_the_same_page(signed_in, fake_github, settings):
    source = big_js()
    add_big_gist(fake_github, source)
    assert (await signed_in.post("/gists", {"url": BIG})).code == 303
    http = tornado.httpclient.AsyncHTTPClient()
    for cookie in ("", "; ".join(f"{name}={value}" for name, value in signed_in.cookies.items())):
        url = f"{settings.site_url}/gists/{BIG}"
        plain = await http.fetch(url, headers={"Cookie": cookie}, decompress_response=False)
        zipped = await http.fetch(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"}, decompress_response=False)
        assert "Content-Encoding" not in plain.headers and zipped.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["Vary"]
        assert len(zipped.body) <= len(source.encode()) // 3 < len(plain.body)
        page = gzip.decompress(zipped.body)
        if cookie:   # each view has its own form token: the rest is the same page
            assert b"Sign out" in page and len(page) == len(plain.body)
        else:
            assert page == plain.body and plain.headers["Etag"] != zipped.headers["Etag"]
