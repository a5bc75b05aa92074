"""A gist on other sites: the script that writes it into their page, the page their iframe shows, its styles."""

import dataclasses
import hashlib
import http.client

import tornado.escape
import tornado.web

from tornadogists.handlers.base import RELEASE, BaseHandler, UserError, database_unavailable
from tornadogists.services.visibility import may_see_gist
from tornadogists.text.embeds import THEMES, js_string, script_parts, style_version, stylesheet
from tornadogists.text.themes import DEFAULT

# An embed changes only when its gist does; blog readers' browsers and proxies may keep it this long.
EMBED_MAX_AGE = 300
# The stylesheet's URL carries its version: a changed one has a new URL.
STYLE_MAX_AGE = 7 * 24 * 3600
NO_FILE = "This gist has no file by that name."
MESSAGES = {404: "There is no such gist here.", 500: "Something went wrong; please try again shortly.",
            503: "The database is not answering right now. Please try again in a few seconds."}


@dataclasses.dataclass
class Fragment:
    """A gist's embedded files, rendered once per version and kept on its cached page (page.embeds)."""

    html: str     # for the iframe page
    js: bytes     # the same, as a JavaScript string literal (text/embeds.py js_string)


class EmbedBase(BaseHandler):
    """What both embeds share: one answer for everyone, from the gist page's memory cache.

    The session is never read: the answer depends on nobody, so it is public and cacheable,
    and a page shown in someone else's frame acts for nobody.
    """

    async def prepare(self):
        self.current_user = None

    async def fragment(self, gist_id: str, kind: str) -> tuple[Fragment, str, dict] | None:
        """(the chosen files' fragment, theme, gist); None when a 304 went out instead."""
        theme = self.get_argument("theme", DEFAULT)
        if theme not in THEMES:
            raise UserError(400, "The theme must be light, dark or auto.")
        name = self.get_argument("file", None, strip=False)
        page = await self.services.gist_page.load(gist_id)
        if page is None or not may_see_gist(page.gist, None):
            raise tornado.web.HTTPError(404)
        found = page.embeds.get(name)
        if found is None:
            files = [f for f in page.gist["files"] if name is None or f["name"] == name]
            if not files:
                raise UserError(404, NO_FILE)
            html = self.render_string("gists/embed.html", gist=page.gist, files=files, comments=page.thread.count,
                                      gist_url=self.absolute("gist", gist_id), absolute=self.absolute)
            found = page.keep(page.embeds, name, Fragment(html.decode(), js_string(html.decode()).encode()))
        if self.public(repr((RELEASE, style_version(theme), kind, gist_id, page.version, name, theme))):
            return None
        return found, theme, page.gist

    def absolute(self, name: str, *args) -> str:
        return self.site.site_url.rstrip("/") + self.reverse_url(name, *args)

    def public(self, key: str, max_age: int = EMBED_MAX_AGE) -> bool:
        """The same answer for everyone, whose ETag is the hash of `key`: True when a 304 went out."""
        self.set_header("Etag", f'"{hashlib.sha1(key.encode()).hexdigest()}"')
        self.set_header("Cache-Control", f"public, max-age={max_age}")
        if self.check_etag_header():
            self.set_status(304)
            self.finish()
            return True
        return False

    def failure(self, status_code: int, exc_info=None) -> tuple[str, str]:
        """An error answer's (reason, message), saying what went wrong without the site's page around it."""
        error = exc_info[1] if exc_info else None
        if database_unavailable(error):
            status_code = 503
            self.set_status(503)
        message = getattr(error, "user_message", None) or MESSAGES.get(status_code) or (
            MESSAGES[500] if status_code >= 500 else "")
        return http.client.responses.get(status_code, "Error"), message


class GistScriptHandler(EmbedBase):
    """`<script src=".../gists/{id}.js">`: writes the gist's files, styled, where the tag is."""

    async def get(self, gist_id):
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        found = await self.fragment(gist_id, "js")
        if found:
            fragment, theme, _ = found
            before, after = script_parts(theme)
            self.finish(b"".join((before, fragment.js, after)))

    def write_error(self, status_code: int, **kwargs):
        # Still JavaScript, for whoever opens the address; a browser runs no script answered with an error.
        reason, message = self.failure(status_code, kwargs.get("exc_info"))
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        said = " ".join(filter(None, (f"{self.get_status()} {reason}.", message.replace("*/", ""))))
        self.finish(f"/* TornadoGists: {said} */\n")


class GistEmbedHandler(EmbedBase):
    """`<iframe src=".../gists/{id}/embed">`: the same as a page any site may frame."""

    frame_ancestors = "*"

    async def get(self, gist_id):
        found = await self.fragment(gist_id, "page")
        if found:
            fragment, theme, gist = found
            self.render_embed(theme, fragment.html, gist["description"] or gist_id)

    def render_embed(self, theme: str, fragment: str, title: str) -> None:
        self.render("gists/embed_page.html", theme=theme, fragment=fragment, title=title,
                    style_version=style_version)

    def write_error(self, status_code: int, **kwargs):
        # A short message in the frame, not the site's whole error page.
        reason, message = self.failure(status_code, kwargs.get("exc_info"))
        try:
            theme = self.get_argument("theme", DEFAULT)
        except tornado.web.HTTPError:   # the theme itself was the bad input (not UTF-8)
            theme = DEFAULT
        note = f'<p class="tg-note">{tornado.escape.xhtml_escape(message)}</p>'
        self.render_embed(theme if theme in THEMES else DEFAULT, note, reason)


class EmbedStyleHandler(EmbedBase):
    """An embed page's stylesheet (the script carries its own copy)."""

    def get(self, theme):
        self.set_header("Content-Type", "text/css; charset=utf-8")
        if not self.public(repr((theme, style_version(theme))), STYLE_MAX_AGE):
            self.finish(stylesheet(theme))
