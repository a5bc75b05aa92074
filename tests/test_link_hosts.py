"""Hosts read as a browser resolves the link: the ban list, the spam score and GitHub's links agree with it."""

import datetime

import pytest
from bson import ObjectId

from tests.discussion import comment, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN
from tornadogists.github import github_web_url
from tornadogists.text.markdown import render_markdown
from tornadogists.text.spam import score
from tornadogists.text.urls import url_host

OLD = 400 * datetime.timedelta(days=1)
API = "http://127.0.0.1:8123"
# Every way we know of to write a link a browser takes to pills.example (issue 22).
TO_PILLS = [
    "https://pills.example/x", "//pills.example/x", "\\\\pills.example\\x", "https:/pills.example/x",
    "https:pills.example/x", "https:\\\\pills.example/x", "HTTPS://PILLS.EXAMPLE./x", "https://pills%2eexample/x",
    "https://pills%2Eexample/x", "https://pills\u3002example/x", "https://pills\uff0eexample/x",
    "https://pills\uff61example/x", "https://pills%E3%80%82example/x", "https://\uff50ills.example/x",
    "https://someone:pw@pills.example:8443/x", "https://github.com@pills.example/x",
    "https://shop.pills.example/x",
]


@pytest.mark.parametrize("link", TO_PILLS)
def test_every_spelling_of_a_banned_host_is_recognised(link):
    assert url_host(link).endswith("pills.example")
    for text in (f"Read {link} now", f"Read [this]({link}) now", f'Read <a href="{link}">this</a>',
                 f"Read <{link}> now" if "\\" not in link else f"Read {link}"):
        held = score(text, {"pills.example"}, OLD, 0)
        assert held.points >= 100 and "links to banned hosts" in held.reasons[-1], text


@pytest.mark.parametrize("link, host", [
    ("/gists/aa5a315d61ae9438b18d", ""), ("gists/x", ""), ("#comments", ""), ("?page=2", ""),
    ("mailto:ada@pills.example", ""), ("https://www.tornadoweb.org/en/stable/", "www.tornadoweb.org"),
    ("https://b\u00fccher.example/", "xn--bcher-kva.example"), ("http://127.0.0.1:8123/x", "127.0.0.1"),
    ("https://pi\tlls.example/", "pills.example"),   # a browser drops tabs and newlines
])
def test_ordinary_links_keep_their_host(link, host):
    assert url_host(link) == host


def test_relative_spellings_count_as_links_like_https_ones():
    schemed = " ".join(f"https://watches.example/{n}" for n in range(6))
    relative = " ".join(f"[x](//watches.example/{n})" for n in range(6))
    slashless = " ".join(f"[x](https:/watches.example/{n})" for n in range(6))
    expected = score(schemed, set(), OLD, 0).reasons[1]
    assert expected == "+30: 6 links"
    assert score(relative, set(), OLD, 0).reasons[1] == expected
    assert score(slashless, set(), OLD, 0).reasons[1] == expected
    assert score("x = a //b and c // d", set(), OLD, 0).points == 0   # floor division is no link


@pytest.mark.parametrize("value", [
    "https://evil.example\\@github.com/", "https://evil.example\\@gist.github.com/octocat/x",
    "https:\\\\evil.example\\@github.com/",
    "https://evil.example\\@127.0.0.1:8123/x",
])
def test_the_github_link_check_goes_where_a_browser_goes(value):
    assert github_web_url(value, API) is None


async def test_a_relative_link_to_a_banned_host_holds_the_comment(signed_in, person, db):
    await submit(signed_in)
    admin, bob = await person(ADMIN), await person("bob@example.com")
    assert (await admin.post("/admin/hosts", {"action": "add", "host": "https://PILLS.example/"})).code == 303
    for link in ("//pills.example/a", "https:/pills.example/b", "https://pills%2eexample/c",
                 "https://pills\u3002example/d"):
        held = await comment(bob, f"A very helpful write-up on handlers: [read it]({link}) and recommend it.")
        assert (await db.comments.find_one({"_id": ObjectId(held)}))["hidden"] == ["held"], link


@pytest.mark.parametrize("text, href", [
    ("[a](//pills.example/x)", 'href="https://pills.example/x"'),
    ("[a](https:/pills.example/x)", 'href="https://pills.example/x"'),
    ('<a href="https:pills.example/x">a</a>', 'href="https://pills.example/x"'),
    ('<a href="https:\\\\pills.example\\x?q=\\">a</a>', 'href="https://pills.example/x?q=\\"'),
    ("![i](//pills.example/a.png)", 'src="https://pills.example/a.png"'),
    ("<https://pills\u3002example/>", 'href="https://pills.example/"'),
    # Ordinary links are kept as written.
    ("[a](https://www.tornadoweb.org/en/stable/)", 'href="https://www.tornadoweb.org/en/stable/"'),
    ("[a](/gists/aa5a315d61ae9438b18d#file-1-L2)", 'href="/gists/aa5a315d61ae9438b18d#file-1-L2"'),
    ("[a](#comments)", 'href="#comments"'), ("[a](mailto:ada@example.com)", 'href="mailto:ada@example.com"'),
])
def test_a_rendered_link_is_spelled_as_a_browser_reads_it(text, href):
    assert href in render_markdown(text)
