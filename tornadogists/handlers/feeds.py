"""Atom and RSS feeds with conditional GET; sitemap.xml and robots.txt."""

import email.utils

import tornado.web

from tornadogists.handlers.base import BaseHandler
from tornadogists.text.sitemap import robots_txt


class PublicHandler(BaseHandler):
    """The same document for everyone, for machines: no session lookup."""

    def prepare(self):   # not a coroutine: nothing to wait for
        pass

    def link(self, name: str, *args) -> str:
        """An absolute URL: feeds and sitemaps are read away from the site."""
        return self.site.site_url + self.reverse_url(name, *args)


class FeedHandler(PublicHandler):
    """One feed: `feed` names the FeedService method that builds it, called with `fixed` + the path's args."""

    def initialize(self, feed: str, fixed: tuple = ()):
        self.feed = feed
        self.fixed = fixed

    async def get(self, *args):
        document = await getattr(self.services.feeds, self.feed)(*self.fixed, *args, self.link)
        if document is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Etag", document.etag)
        self.set_header("Last-Modified", document.last_modified)
        self.set_header("Cache-Control", "public, max-age=300")
        if self.check_etag_header() or self.unmodified_since(document.updated):
            self.set_status(304)
            return
        self.set_header("Content-Type", document.content_type)
        self.write(document.body)

    def unmodified_since(self, updated) -> bool:
        """If-Modified-Since counts only without If-None-Match (RFC 9110 section 13.2.2)."""
        since = self.request.headers.get("If-Modified-Since")
        if not since or "If-None-Match" in self.request.headers:
            return False
        try:
            return email.utils.parsedate_to_datetime(since) >= updated.replace(microsecond=0)
        except (TypeError, ValueError):
            return False


class SitemapHandler(PublicHandler):
    """sitemap.xml: the index of the sitemap files."""

    async def get(self):
        self.set_header("Content-Type", "application/xml; charset=utf-8")
        self.write(await self.services.discovery.sitemap_index(self.link))


class SitemapFileHandler(PublicHandler):
    """One sitemap file: the listings and tags, or a file of gists with their submitters."""

    async def get(self, number: str):
        document = await self.services.discovery.sitemap_file(int(number), self.link)
        if document is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "application/xml; charset=utf-8")
        self.write(document)


class RobotsHandler(PublicHandler):
    """robots.txt: keep crawlers out of private pages and search results; point to the sitemap."""

    def get(self):
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write(robots_txt(self.link("sitemap")))
