"""Helpers for the discussion tests: more people, posting, and reading a thread's shape from HTML."""

from html.parser import HTMLParser

import pytest_asyncio

from tests.client import Client
from tests.conftest import sign_in

HELLO = "aa5a315d61ae9438b18d"   # README.md (file 1, 12 lines) and hello.py (file 2, 14 lines)


@pytest_asyncio.fixture
async def person(site, settings, outbox):
    """make(email) -> a Client signed in as that person."""
    made = []

    async def make(email: str) -> Client:
        client = Client(settings.site_url)
        made.append(client)
        await sign_in(client, outbox, email)
        return client

    yield make
    for client in made:
        client.close()


async def submit(client, gist_id: str = HELLO) -> None:
    response = await client.post("/gists", {"url": gist_id})
    assert response.code == 303, response.text


async def post(client, body: str, gist_id: str = HELLO, **fields):
    return await client.post(f"/gists/{gist_id}/comments", {"body": body, **fields})


def comment_id(response) -> str:
    assert response.code == 303, response.text
    path, _, anchor = response.location.partition("#comment-")
    assert anchor, response.location
    return anchor


async def comment(client, body: str, gist_id: str = HELLO, **fields) -> str:
    """Post a comment and return its id."""
    return comment_id(await post(client, body, gist_id, **fields))


class _Shape(HTMLParser):
    """Collects the nesting of <article class="comment"> elements: thread copies (with an id) and inline ones."""

    def __init__(self):
        super().__init__()
        self.thread: list = []
        self.inline: list = []
        self._stack: list = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "article" or "comment" not in (attrs.get("class") or "").split():
            if tag == "article":
                self._stack.append(None)
            return
        node = (attrs["data-id"], [])
        parent = self._stack[-1] if self._stack else None
        siblings = parent[1] if parent else (self.thread if "id" in attrs else self.inline)
        siblings.append(node)
        self._stack.append(node)

    def handle_endtag(self, tag):
        if tag == "article":
            self._stack.pop()


def shape(html: str) -> tuple[list, list]:
    """(thread, inline): nested [(comment id, [replies...]), ...] in page order."""
    parser = _Shape()
    parser.feed(html)
    return parser.thread, parser.inline
