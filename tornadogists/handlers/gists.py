"""Submitting a gist, its page, its raw files."""

import hashlib
import secrets
import time

import tornado.web

from tornadogists.compression import GzipPieces, accepts_gzip
from tornadogists.github import GitHubError
from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.gist_page import MAX_PERSONAL
from tornadogists.services.gists import InvalidSubmission
from tornadogists.services.limits import RateLimited
from tornadogists.services.visibility import is_public, may_see_gist
from tornadogists.text import downloads
from tornadogists.text.gist_urls import InvalidGistURL, parse_gist_ref
from tornadogists.text.tags import InvalidTags

# Where each viewer's form token goes in a cached page: random per process, so no text a page
# shows (a comment, a file, a description) can name it and have a token spliced into it.
XSRF_SLOT = f"\x00xsrf-{secrets.token_hex(16)}\x00"
# The anonymous page is rendered again after this long even when nothing changed ("5 minutes ago").
ANONYMOUS_SECONDS = 60


class GistNewHandler(BaseHandler):
    """The submit form."""

    @tornado.web.authenticated
    def get(self):
        self.render("gists/new.html", url=self.get_argument("url", ""), tags="", intro="", error=None)


class GistSubmitHandler(BaseHandler):
    """Import a gist from GitHub and open its discussion."""

    @tornado.web.authenticated
    async def post(self):
        form = {name: self.get_argument(name, "") for name in ("url", "tags", "intro")}
        try:
            gist = await self.services.gists.submit(by=self.current_user, **form)
        except (InvalidGistURL, InvalidTags, InvalidSubmission) as error:
            return self.render_form("gists/new.html", 400, error=str(error), **form)
        except RateLimited as error:
            return self.render_form("gists/new.html", 429, error=str(error), **form)
        except GitHubError as error:
            return self.render_form("gists/new.html", error.status, error=error.user_message, **form)
        revision = parse_gist_ref(form["url"])[1]   # a URL naming a revision opens that revision
        if revision:
            return self.redirect(self.reverse_url("gist-revision", gist["gist_id"], revision), status=303)
        self.redirect(self.reverse_url("gist", gist["gist_id"]), status=303)


class GistHandler(BaseHandler):
    """A gist: its files highlighted, its love button, its discussion — from memory while it is unchanged.

    Anonymous visitors get the page rendered once per version; a signed-in view renders the
    personal parts (header, love state, forms) around comments rendered once per relation
    (ui.Comment), with the viewer's form token put in last.
    """

    async def get(self, gist_id):
        page = await self.services.gist_page.load(gist_id, self.wrote_at() if self.current_user else None)
        # Before the anonymous copy: a hidden gist's page is never cached for all.
        if page is None or not may_see_gist(page.gist, self.current_user):
            raise tornado.web.HTTPError(404)
        if self.current_user:
            return self._send(self._personal_page(page), super().xsrf_form_html().encode())
        # The page shows the visitor's theme (base.html): one copy per theme, rendered when first asked for.
        rendered_at, html, digest = page.anonymous.get(self.theme, (0.0, None, None))
        if html is None or time.monotonic() - rendered_at > ANONYMOUS_SECONDS:
            rendered = self._render_page(page)
            rendered_at, html, digest = time.monotonic(), GzipPieces([rendered]), hashlib.sha1(rendered).hexdigest()
            page.keep(page.anonymous, self.theme, (rendered_at, html, digest))
        # The same ETags from every process; the gzipped answer is another representation, another tag.
        if not self.not_modified((digest + ("-gzip" if self._gzip() else "")).encode()):
            self._send(html)

    def _gzip(self) -> bool:
        return accepts_gzip(self.request.headers.get("Accept-Encoding", ""))

    def _send(self, html: GzipPieces, token: bytes = b"") -> None:
        """The page, with this view's form token in its slots: gzipped when the browser takes it."""
        self.add_header("Vary", "Accept-Encoding")
        if not self._gzip():
            return self.finish(token.join(html.pieces))
        self.set_header("Content-Encoding", "gzip")
        self.finish(html.gzip(token))

    def _personal_page(self, page) -> GzipPieces:
        """The page as this person sees it (their header, love, buttons), kept until the gist changes:
        encoded and split at the form token's slots, so a view only joins bytes around its token."""
        viewer = self.current_user
        key = (viewer["_id"], viewer["handle"], viewer.get("avatar_url"), viewer.get("is_admin"), self.theme)
        html = page.personal.get(key)
        if html is None:
            self.cached_page = page   # ui.Comment keeps its renderings on it
            html = page.keep(page.personal, key, GzipPieces(self._render_page(page).split(XSRF_SLOT.encode())),
                             MAX_PERSONAL)
        return html

    def _render_page(self, page) -> bytes:
        self.slotting = True
        try:
            return self.render_string("gists/show.html", gist=page.gist, loved=page.loved_by(self.current_user),
                                      page=page)
        finally:
            self.slotting = False

    slotting = False

    def xsrf_form_html(self) -> str:
        # Forms inside cached fragments carry a slot; each view puts its own token in. Anything
        # else this handler renders (an error page) is not split, so it carries the real token.
        return XSRF_SLOT if self.slotting else super().xsrf_form_html()

    def get_template_namespace(self):
        # The same "Sign in" link for every anonymous visitor, whatever query string the first one had.
        return {**super().get_template_namespace(), "next_path": self.request.path}


class GistRefreshHandler(BaseHandler):
    """Re-fetch a gist from GitHub now."""

    @tornado.web.authenticated
    async def post(self, gist_id):
        try:
            gist = await self.services.gists.refresh(gist_id, by=self.current_user)
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        except GitHubError as error:
            raise UserError(error.status, error.user_message) from None
        if gist is None:
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("gist", gist_id), status=303)


class GistRawHandler(BaseHandler):
    """A file's exact text, from the cached page (no database call while the gist is unchanged);
    with `attachment`, saved under its own name."""

    def initialize(self, attachment: bool = False):
        self.attachment = attachment

    async def get(self, gist_id, filename):
        page = await self.services.gist_page.load(gist_id, self.wrote_at() if self.current_user else None)
        raw = page.raw_file(filename) if page is not None and may_see_gist(page.gist, self.current_user) else None
        if raw is None:
            raise tornado.web.HTTPError(404)
        data, digest = raw
        self.set_header("Content-Type", "text/plain; charset=utf-8")  # nosniff comes with every answer
        if self.attachment:
            self.set_header("Content-Disposition", downloads.attachment(filename))
        # A hidden gist's file (its author's, an admin's) is never stored by a shared cache.
        if is_public(page.gist) and self.not_modified(digest.encode()):
            return
        self.finish(data)


class GistArchiveHandler(BaseHandler):
    """The gist's files as one ZIP."""

    async def get(self, gist_id):
        page = await self.services.gist_page.load(gist_id, self.wrote_at() if self.current_user else None)
        if page is None or not may_see_gist(page.gist, self.current_user):
            raise tornado.web.HTTPError(404)
        data = await self.services.gist_page.archive(page)
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", downloads.attachment(f"{gist_id}.zip"))
        self.write(data)   # Tornado's ETag: a second download of the same version is a 304
