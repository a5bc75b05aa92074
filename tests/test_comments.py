"""Comments: Markdown and sanitising, threads, line comments, edits, deletes and permissions."""

import re

import pytest
from bson import ObjectId

from tests.code_lines import code_items
from tests.discussion import HELLO, comment, comment_id, person, post, shape, submit  # noqa: F401 - a fixture
from tests.html_checks import active_content

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1) )",
    "[click](jav&#x09;ascript:alert(1))",
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](x \"onerror=alert(1)\")",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>",
    "<style>body { display: none }</style>",
    '<p style="position:fixed;top:0">overlay</p>',
    "<!-- a comment --> after <!--[if IE]><script>alert(1)</script><![endif]-->",
    "<img src=x onerror=alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><button>go</button></form>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '<div class="site-header">fake chrome</div>',
    "```html\n<script>alert(1)</script>\n```",
    "[a]: javascript:alert(1)\n\n[ref link][a]",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
]


async def test_a_comment_is_rendered_once_and_shown_with_author_avatar_time_and_permalink(signed_in, db):
    await submit(signed_in)
    response = await post(signed_in, "Nice **handler**, see https://www.tornadoweb.org.\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    cid = comment_id(response)
    assert response.location == f"/gists/{HELLO}#comment-{cid}"
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["body"].startswith("Nice **handler**")
    assert "<strong>handler</strong>" in stored["html"]
    assert 'rel="nofollow ugc noopener"' in stored["html"] and "<table>" in stored["html"]
    assert stored["author"]["handle"] == "ada" and stored["revision"]
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    article = page[page.index(f'id="comment-{cid}"'):]
    assert "<strong>handler</strong>" in article
    assert 'href="/avatars/ada.svg"' not in article and 'src="/avatars/ada.svg"' in article
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">just now</time>', article)
    assert f'href="#comment-{cid}"' in article
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1
    assert f'href="/gists/{HELLO}#discussion">1 comment</a>' in (await signed_in.get("/")).text


async def test_commenting_needs_sign_in(client, signed_in, person, db):
    await submit(signed_in)
    anonymous = await person("bob@example.com")
    await anonymous.post("/logout")
    response = await post(anonymous, "hello")
    assert response.code == 303
    assert response.location == f"/login?next=%2Fgists%2F{HELLO}"
    assert await db.comments.count_documents({}) == 0
    page = (await anonymous.get(f"/gists/{HELLO}")).text
    assert "to join the discussion" in page and 'name="body"' not in page


async def test_no_script_style_handler_or_dangerous_url_survives_a_comment_or_a_preview(signed_in, db):
    await submit(signed_in)
    for body in XSS_CORPUS:
        await db.rate_limits.delete_many({})  # the corpus is longer than a minute's allowance
        assert (await post(signed_in, body)).code == 303, body
        preview = await signed_in.post("/preview", {"body": body})
        assert preview.code == 200
        assert active_content(preview.json()["html"]) == [], body
        assert "site-header" not in preview.json()["html"]
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert page.count('class="comment"') == len(XSS_CORPUS)
    assert active_content(page) == []
    assert page.count('class="site-header"') == 1


async def test_preview_returns_the_html_a_comment_would_get(signed_in, client, person):
    response = await signed_in.post("/preview", {"body": "Some *Markdown*\n\n```python\nx = 1\n```"})
    assert response.code == 200
    html = response.json()["html"]
    assert "<em>Markdown</em>" in html and 'class="highlight"' in html
    assert (await signed_in.post("/preview", {"body": "x" * 20_001})).code == 400
    assert (await signed_in.post("/preview", {"body": "x"}, xsrf=False)).code == 403
    stranger = await person("bob@example.com")
    await stranger.post("/logout")
    refused = await stranger.post("/preview", {"body": "x"})
    assert refused.code == 403 and "error" in refused.json()


async def test_replies_nest_three_levels_deep_then_line_up_saying_whom_they_answer(site, signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    first = await comment(signed_in, "first")
    second = await comment(bob, "second", parent=first)
    third = await comment(signed_in, "third", parent=second)
    fourth = await comment(bob, "fourth", parent=third)
    fifth = await comment(signed_in, "fifth", parent=fourth)
    other = await comment(bob, "another thread")
    late_reply = await comment(bob, "late reply to first", parent=first)
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    thread, _ = shape(page)
    assert thread == [
        (first, [(second, [(third, []), (fourth, []), (fifth, [])]), (late_reply, [])]),
        (other, []),
    ]
    fourth_html = page[page.index(f'id="comment-{fourth}"'):page.index(f'id="comment-{fifth}"')]
    assert f'in reply to <a href="#comment-{third}">ada</a>' in fourth_html
    third_html = page[page.index(f'id="comment-{third}"'):page.index(f'id="comment-{fourth}"')]
    assert "in reply to" not in third_html
    assert f'name="parent" value="{fifth}"' in page  # every comment has its reply form, no JS needed
    ada = await db.users.find_one({"email": "ada@example.com"})
    await site.services.storage.authors.rename(ada["_id"], "ada-lovelace")
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert f'in reply to <a href="#comment-{third}">ada-lovelace</a>' in page


async def test_a_line_comment_shows_under_its_line_and_in_the_thread(signed_in, db):
    await submit(signed_in)
    cid = await comment(signed_in, "Why *name*?", file="hello.py", line="7")
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert (stored["file"], stored["line"]) == ("hello.py", 7)
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    items = [(item["kind"], item["id"] or item["data_line"], item["comments"]) for item in code_items(page)]
    line7 = items.index(("line", "file-2-L7", []))
    assert items[line7 + 1:line7 + 3] == [("line-comments", "7", [cid]), ("line", "file-2-L8", [])]
    assert sum(1 for kind, _, _ in items if kind == "line-comments") == 1
    row = page.index("<li id=file-2-L7>")
    assert page[row:page.index("<li id=file-2-L8>")].count('<li class="line-comments" data-line="7">') == 1
    thread, inline = shape(page)
    assert thread == [(cid, [])] and inline == [(cid, [])]
    assert '<a href="#file-2-L7"><code>hello.py</code> line 7</a>' in page
    assert "on an older revision" not in page
    # Without JavaScript, the main form names the file and the line.
    assert '<select name="file">' in page and "<option>hello.py</option>" in page
    assert '<input type="number" name="line" min="1"' in page


async def test_line_comments_on_a_missing_file_or_line_are_refused_with_the_form_kept(signed_in, db):
    await submit(signed_in)
    cases = [
        ({"file": "nope.py", "line": "1"}, "no file named"),
        ({"file": "hello.py", "line": "0"}, "lines 1 to 14"),
        ({"file": "hello.py", "line": "15"}, "lines 1 to 14"),
        ({"file": "README.md", "line": "13"}, "lines 1 to 12"),
        ({"file": "hello.py", "line": "seven"}, "whole number"),
        ({"file": "hello.py"}, "both the file and the line"),
        ({"line": "3"}, "both the file and the line"),
    ]
    for fields, message in cases:
        response = await post(signed_in, "my <kept> text", **fields)
        assert response.code == 400, fields
        assert message in response.text, fields
        assert "my &lt;kept&gt; text</textarea>" in response.text
        assert f'value="{fields.get("line", "")}"' in response.text
    assert (await post(signed_in, "the last line", file="hello.py", line="14")).code == 303
    assert (await post(signed_in, "the first line", file="README.md", line="1")).code == 303
    assert await db.comments.count_documents({}) == 2


async def test_a_line_comment_on_an_older_revision_says_so_and_leaves_the_code(signed_in, fake_github):
    await submit(signed_in)
    cid = await comment(signed_in, "Typo here", file="hello.py", line="3")
    changed = fake_github.gists[HELLO]
    changed["history"] = [{**changed["history"][0], "version": "f" * 40}, *changed["history"]]
    changed["files"]["hello.py"]["content"] = "print('rewritten')\n"
    fake_github.add_gist(changed)
    assert (await signed_in.post(f"/gists/{HELLO}/refresh")).code == 303
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert "on an older revision" in page
    assert shape(page) == ([(cid, [])], [])


async def test_a_body_must_have_1_to_20000_characters(signed_in, db):
    await submit(signed_in)
    for body in ("", "  \n\t "):
        response = await post(signed_in, body)
        assert response.code == 400 and "empty" in response.text
    too_long = "x" * 20_001
    response = await post(signed_in, too_long)
    assert response.code == 400 and "20,001 characters, at most 20,000" in response.text
    assert too_long + "</textarea>" in response.text
    assert await db.comments.count_documents({}) == 0
    assert (await post(signed_in, "y" * 20_000)).code == 303
    # A form's CRLF line ends count as one character each.
    assert (await post(signed_in, "z\r\n" * 10_000)).code == 303
    assert (await db.comments.find_one({"body": {"$regex": "^z"}}))["body"] == "z\n" * 10_000


async def test_a_reply_must_answer_a_visible_comment_of_the_same_gist(signed_in, db):
    await submit(signed_in)
    await submit(signed_in, "bb6b426e72bf0549c29e")
    elsewhere = await comment(signed_in, "on another gist", gist_id="bb6b426e72bf0549c29e")
    gone = await comment(signed_in, "soon deleted")
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{gone}/delete")).code == 303
    here = await comment(signed_in, "here")
    for parent in (elsewhere, gone, str(ObjectId()), "not-an-id"):
        response = await post(signed_in, "a reply", parent=parent)
        assert response.code == 400, parent
        assert f'name="parent" value="{parent}"' in response.text
    response = await post(signed_in, "a reply on a line", parent=here, file="hello.py", line="2")
    assert response.code == 400 and "cannot name a line" in response.text


async def test_comments_on_an_unknown_gist_or_comment_are_404(signed_in):
    await submit(signed_in)
    assert (await post(signed_in, "hi", gist_id="0123456789abcdef0123")).code == 404
    unknown = str(ObjectId())
    assert (await signed_in.get(f"/gists/{HELLO}/comments/{unknown}/edit")).code == 404
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{unknown}/delete")).code == 404
    assert (await signed_in.get(f"/gists/{HELLO}/comments/{unknown}/history")).code == 404
    assert (await signed_in.get(f"/gists/{HELLO}/comments/xyz/edit")).code == 404


async def test_the_author_edits_and_the_earlier_version_stays_viewable(signed_in, db):
    await submit(signed_in)
    cid = await comment(signed_in, "first **draft**")
    form = await signed_in.get(f"/gists/{HELLO}/comments/{cid}/edit")
    assert form.code == 200 and "first **draft**</textarea>" in form.text
    response = await signed_in.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": "second *take*"})
    assert response.code == 303 and response.location == f"/gists/{HELLO}#comment-{cid}"
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["edited"] and stored["html"] == "<p>second <em>take</em></p>"
    assert [v["body"] for v in stored["versions"]] == ["first **draft**"]
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert f'href="/gists/{HELLO}/comments/{cid}/history"' in page and ">edited</a>" in page
    history = await signed_in.get(f"/gists/{HELLO}/comments/{cid}/history")
    assert history.code == 200
    assert history.text.index("<em>take</em>") < history.text.index("<strong>draft</strong>")
    bad = await signed_in.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": " "})
    assert bad.code == 400 and "empty" in bad.text
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 1


async def test_an_edit_made_from_a_stale_copy_is_refused_so_no_version_is_lost(site, signed_in, db):
    await submit(signed_in)
    cid = await comment(signed_in, "v1")
    stale = await db.comments.find_one({"_id": ObjectId(cid)})
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": "v2"})).code == 303
    comments = site.services.storage.comments
    assert await comments.replace_body(stale, "v2 from elsewhere", "<p>x</p>", stale["updated_at"]) is False
    stored = await db.comments.find_one({"_id": ObjectId(cid)})
    assert stored["body"] == "v2" and [v["body"] for v in stored["versions"]] == ["v1"]


async def test_only_the_author_may_edit(signed_in, person, db):
    await submit(signed_in)
    cid = await comment(signed_in, "mine")
    bob = await person("bob@example.com")
    admin = await person("admin@example.com")
    await db.users.update_one({"email": "admin@example.com"}, {"$set": {"is_admin": True}})
    for other in (bob, admin):
        assert (await other.get(f"/gists/{HELLO}/comments/{cid}/edit")).code == 403
        assert (await other.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": "theirs"})).code == 403
    page = (await bob.get(f"/gists/{HELLO}")).text
    assert f"/comments/{cid}/edit" not in page and f"/comments/{cid}/delete" not in page
    await bob.post("/logout")
    response = await bob.get(f"/gists/{HELLO}/comments/{cid}/edit")
    assert response.code == 303
    assert response.location == f"/login?next=%2Fgists%2F{HELLO}%2Fcomments%2F{cid}%2Fedit"
    response = await bob.post(f"/gists/{HELLO}/comments/{cid}/edit", {"body": "anonymous"})
    assert response.code == 303 and response.location.startswith("/login?next=")
    assert (await db.comments.find_one({"_id": ObjectId(cid)}))["body"] == "mine"


async def test_the_author_or_an_admin_may_delete_and_nobody_else(signed_in, person, db):
    await submit(signed_in)
    first = await comment(signed_in, "first")
    second = await comment(signed_in, "second")
    bob = await person("bob@example.com")
    assert (await bob.post(f"/gists/{HELLO}/comments/{first}/delete")).code == 403
    await bob.post("/logout")
    response = await bob.post(f"/gists/{HELLO}/comments/{first}/delete")
    assert response.code == 303 and response.location.startswith("/login?next=")
    assert await db.comments.count_documents({"deleted": False}) == 2

    assert (await signed_in.post(f"/gists/{HELLO}/comments/{first}/delete")).code == 303
    assert (await signed_in.get(f"/gists/{HELLO}/comments/{first}/edit")).code == 404
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{first}/edit", {"body": "back"})).code == 404
    assert (await signed_in.get(f"/gists/{HELLO}/comments/{first}/history")).code == 404
    admin = await person("admin@example.com")
    await db.users.update_one({"email": "admin@example.com"}, {"$set": {"is_admin": True}})
    assert f"/comments/{second}/delete" in (await admin.get(f"/gists/{HELLO}")).text
    assert (await admin.post(f"/gists/{HELLO}/comments/{second}/delete")).code == 303
    assert (await admin.post(f"/gists/{HELLO}/comments/{second}/delete")).code == 404
    page = (await signed_in.get(f"/gists/{HELLO}")).text
    assert shape(page) == ([], []) and "[deleted]" not in page
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 0
    assert (await db.comments.find_one({"_id": ObjectId(first)}))["body"] == ""


async def test_a_deleted_comment_with_replies_leaves_deleted_and_keeps_them(signed_in, person, db):
    await submit(signed_in)
    bob = await person("bob@example.com")
    parent = await comment(signed_in, "parent text")
    reply = await comment(bob, "reply text", parent=parent)
    nested = await comment(signed_in, "nested text", parent=reply)
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{parent}/delete")).code == 303
    page = (await bob.get(f"/gists/{HELLO}")).text
    assert shape(page)[0] == [(parent, [(reply, [(nested, [])])])]
    assert "[deleted]" in page and "parent text" not in page and "reply text" in page
    assert '<span class="count">2</span>' in page
    assert (await bob.post(f"/gists/{HELLO}/comments/{reply}/delete")).code == 303
    assert shape((await bob.get(f"/gists/{HELLO}")).text)[0] == [(parent, [(reply, [(nested, [])])])]
    assert (await signed_in.post(f"/gists/{HELLO}/comments/{nested}/delete")).code == 303
    page = (await bob.get(f"/gists/{HELLO}")).text
    assert shape(page) == ([], []) and "[deleted]" not in page
    assert (await db.gists.find_one({"gist_id": HELLO}))["comment_count"] == 0


@pytest.mark.parametrize("target", ["comments", "edit", "delete"])
async def test_comment_posts_without_xsrf_are_refused(signed_in, db, target):
    await submit(signed_in)
    cid = await comment(signed_in, "hello")
    path = {"comments": f"/gists/{HELLO}/comments", "edit": f"/gists/{HELLO}/comments/{cid}/edit",
            "delete": f"/gists/{HELLO}/comments/{cid}/delete"}[target]
    assert (await signed_in.post(path, {"body": "changed"}, xsrf=False)).code == 403
    assert await db.comments.count_documents({"body": "hello", "deleted": False}) == 1


async def test_an_edit_sent_from_the_thread_answers_json(signed_in, person):
    await submit(signed_in)
    cid = await comment(signed_in, "one")
    path, json = f"/gists/{HELLO}/comments/{cid}/edit", {"Accept": "application/json"}
    saved = await signed_in.post(path, {"body": "two *now*"}, headers=json)
    assert saved.code == 200 and "<em>now</em>" in saved.json()["html"]
    empty = await signed_in.post(path, {"body": "  "}, headers=json)
    assert empty.code == 400 and "the comment is empty" in empty.json()["error"]
    stranger = await (await person("bob@example.com")).post(path, {"body": "mine now"}, headers=json)
    assert stranger.code == 403 and stranger.json()["error"]
