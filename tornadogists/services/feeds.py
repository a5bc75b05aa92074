"""Feeds: newest gists (site-wide, per tag, language or person), hot gists, newest comments (site-wide, per gist)."""

import asyncio
import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Callable

from tornado.httputil import format_timestamp

from tornadogists.services.discovery import language_named
from tornadogists.services.visibility import may_see_gist
from tornadogists.text.feeds import Entry, Feed, comment_content, gist_content, gist_updated, render
from tornadogists.text.handles import gone
from tornadogists.text.tags import TAG

ENTRIES = 30
CONTENT_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}

# links(route_name, *args) -> an absolute URL; the handler builds it from site_url and its routes.
Links = Callable[..., str]


@dataclasses.dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str
    updated: datetime.datetime

    @functools.cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest() + '"'

    @functools.cached_property
    def last_modified(self) -> str:
        return format_timestamp(self.updated)


def _profile(person: dict, links: Links) -> str | None:
    """A submitter's or author's page; none for a deleted account."""
    return None if gone(person) else links("user", person["handle"])


def gist_entry(gist: dict, links: Links) -> Entry:
    url = links("gist", gist["gist_id"])
    return Entry(
        id=url, title=gist["description"] or f"Gist {gist['gist_id']}", link=url,
        author=gist["submitter"]["handle"], author_uri=_profile(gist["submitter"], links),
        published=gist["submitted_at"], updated=gist_updated(gist),
        content=gist_content(gist, url),
    )


def comment_entry(comment: dict, gist: dict, links: Links) -> Entry:
    gist_url = links("gist", comment["gist_id"])
    title = gist["description"] or f"Gist {gist['gist_id']}"
    handle, github = comment["author"]["handle"], comment.get("github")
    # A comment brought from GitHub (issue 11): its writer is a GitHub login, not one of our people.
    who, author_uri = (f"{handle} (on GitHub)", github.get("profile_url")) if github else (handle, _profile(comment["author"], links))
    return Entry(
        id=f"{gist_url}#comment-{comment['_id']}", title=f"{who} on “{title}”",
        link=f"{gist_url}#comment-{comment['_id']}", author=handle, author_uri=author_uri,
        published=comment["created_at"], updated=comment.get("updated_at") or comment["created_at"],
        content=comment_content(comment, title, gist_url),
    )


def build(kind: str, meta: dict, make_entry: Callable[..., Entry], items: list) -> Document:
    """Entries and the XML document. CPU-bound (sanitising, XML): run in an executor."""
    feed = Feed(**meta, entries=[make_entry(item) for item in items])
    return Document(render(feed, kind), CONTENT_TYPES[kind], feed.updated)


class FeedService:
    def __init__(self, storage, cache):
        self.storage = storage
        self.cache = cache

    async def _cached(self, key, compute) -> Document:
        return await self.cache.get(("feed", *key), compute, self.storage.gists.writes)

    async def _gists(self, kind: str, query: dict, meta: dict, links: Links, hot: bool = False) -> Document:
        gists = await self.storage.gists.feed_entries(query, ENTRIES, hot)
        return await asyncio.get_running_loop().run_in_executor(
            None, build, kind, meta, lambda gist: gist_entry(gist, links), gists)

    async def _comments(self, comments: list[dict], meta: dict, links: Links) -> Document:
        gists = {card["gist_id"]: card for card in
                 await self.storage.gists.cards(list({c["gist_id"] for c in comments}))}
        shown = [(c, gists[c["gist_id"]]) for c in comments if c["gist_id"] in gists]
        return await asyncio.get_running_loop().run_in_executor(
            None, build, "atom", meta, lambda pair: comment_entry(*pair, links), shown)

    # Each feed's title and links are built inside the lambda: only when the feed is, not per request.
    async def newest_gists(self, kind: str, links: Links) -> Document:
        return await self._cached(("gists", kind), lambda: self._gists(kind, {}, {
            "title": "TornadoGists: newest gists", "subtitle": "Gists shared on TornadoGists, newest first.",
            "link": links("home"), "self_url": links(f"feed-gists-{kind}")}, links))

    async def hot_gists(self, links: Links) -> Document:
        return await self._cached(("hot",), lambda: self._gists("atom", {}, {
            "title": "TornadoGists: hot gists", "subtitle": "Gists loved and discussed lately (the Hot tab).",
            "link": links("home"), "self_url": links("feed-hot")}, links, hot=True))

    async def language(self, slug: str, links: Links) -> Document | None:
        language = await language_named(self.storage, self.cache, slug)
        if language is None:
            return None
        return await self._cached(("language", language), lambda: self._gists("atom", {"languages": language}, {
            "title": f"TornadoGists: {language} gists", "subtitle": f"The newest gists with a file in {language}.",
            "link": links("language", language.lower()), "self_url": links("language-feed", language.lower())}, links))

    async def tag(self, tag: str, links: Links) -> Document | None:
        if not TAG.fullmatch(tag):
            return None
        return await self._cached(("tag", tag), lambda: self._gists("atom", {"tags": tag}, {
            "title": f"TornadoGists: gists tagged {tag}", "subtitle": f"The newest gists tagged {tag}.",
            "link": links("tag", tag), "self_url": links("tag-feed", tag)}, links))

    async def person(self, handle: str, links: Links) -> Document | None:
        user = await self.storage.users.by_handle(handle)
        if user is None:
            return None
        name = user.get("display_name") or handle
        return await self._cached(("user", handle), lambda: self._gists("atom", {"submitter.id": user["_id"]}, {
            "title": f"TornadoGists: gists submitted by {name}", "subtitle": f"What {name} shared.",
            "link": links("user", handle), "self_url": links("user-feed", handle)}, links))

    async def newest_comments(self, links: Links) -> Document:
        return await self._cached(("comments",), lambda: self._recent_comments(None, {
            "title": "TornadoGists: newest comments", "subtitle": "The discussion on every gist, newest first.",
            "link": links("home"), "self_url": links("feed-comments")}, links))

    async def gist_comments(self, gist_id: str, links: Links) -> Document | None:
        gist = await self.storage.gists.get_card(gist_id)
        if gist is None or not may_see_gist(gist, None):
            return None
        title = gist["description"] or f"Gist {gist_id}"
        return await self._cached(("gist", gist_id), lambda: self._recent_comments(gist_id, {
            "title": f"TornadoGists: comments on “{title}”", "subtitle": f"The discussion of {title}.",
            "link": links("gist", gist_id), "self_url": links("gist-comments-feed", gist_id)}, links))

    async def _recent_comments(self, gist_id: str | None, meta: dict, links: Links) -> Document:
        return await self._comments(await self.storage.comments.newest(gist_id, ENTRIES), meta, links)
