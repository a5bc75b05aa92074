"""BaseHandler: the signed-in person, error pages, and small helpers every handler shares."""

import hashlib
import http.client
import inspect
import logging
import time
import traceback
from pathlib import Path

import tornado.web
from pymongo.errors import ConnectionFailure, PyMongoError

from tornadogists.handlers.headers import SecurityHeaders
from tornadogists.services.auth import SESSION_DAYS, Suspended, local_path
from tornadogists.services.discovery import PageNotFound
from tornadogists.services.page_cache import ByteLRU
from tornadogists.text.dates import ago, iso
from tornadogists.text.highlight import file_anchor
from tornadogists.text.themes import THEMES, theme_named

SESSION_COOKIE = "session"
THEME_COOKIE = "theme"   # auto, light or dark; read by site.js too, so not httponly
# When this browser's person last wrote (epoch ms). With several processes or machines, their
# next view may reach one that learns of the write only at its next poll (within a second):
# for this long such a view reads the gist afresh (services/gist_page.py), so they see it at once.
WROTE_COOKIE = "wrote"
WROTE_SECONDS = 2
log = logging.getLogger(__name__)


def database_unavailable(error) -> bool:
    """The database is down, restarting or not answering in time: a 503, not our bug."""
    return isinstance(error, ConnectionFailure) or (isinstance(error, PyMongoError) and error.timeout)


# A listing's ETag covers the templates too, so a new release never answers 304 with old markup.
TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
RELEASE = hashlib.sha1(b"".join(p.read_bytes() for p in sorted(TEMPLATES.rglob("*.html")))).hexdigest()
# Anonymous listings as rendered, by everything they were rendered from (render_public).
PUBLIC_PAGES = ByteLRU(16 * 1024 * 1024)
# A browser or proxy may reuse an anonymous page this long: a new comment or gist shows after it.
PUBLIC_MAX_AGE = 2


class UserError(tornado.web.HTTPError):
    """An expected failure whose message is safe and useful to show."""

    def __init__(self, status: int, message: str):
        super().__init__(status)
        self.user_message = message


def listed(listing, **others) -> tuple:
    """What a page showing `listing` and `others` shows, as render_public's `content`: the listing by its digest."""
    return listing.digest, listing.page, listing.pages, listing.has_next, sorted(others.items())


class BaseHandler(SecurityHeaders, tornado.web.RequestHandler):
    @property
    def services(self):
        return self.application.services

    async def head(self, *args, **kwargs):
        # Tornado answers HEAD with 405 unless asked; the GET answer's headers, and flush() drops the body.
        result = self.get(*args, **kwargs)
        if inspect.isawaitable(result):
            await result

    @property
    def site(self):
        return self.application.site_settings

    async def prepare(self):
        self.page_writes = self.services.gist_page.writes()
        self.current_user = await self.services.auth.user_for_session(self._session_cookie())

    def _session_cookie(self) -> bytes | None:
        return self.get_signed_cookie(SESSION_COOKIE, max_age_days=SESSION_DAYS)

    def finish(self, chunk=None):
        # Only a POST that changed some page: any other (a preview, a report) leaves cached pages good.
        writes = self.services.gist_page.writes()
        wrote = writes > getattr(self, "page_writes", writes)
        if (self.request.method == "POST" and self.get_status() < 400 and SESSION_COOKIE in self.request.cookies
                and self.current_user and wrote and not self._finished):
            self.set_signed_cookie(WROTE_COOKIE, str(int(time.time() * 1000)), expires_days=None,
                                   httponly=True, samesite="Lax", secure=self.site.secure_cookies)
        return super().finish(chunk)

    def wrote_at(self) -> int | None:
        """When this person's last write was (epoch ms), if in the last WROTE_SECONDS."""
        value = self.get_signed_cookie(WROTE_COOKIE, max_age_days=1)
        at = int(value) if value and value.isdigit() else None
        return at if at and time.time() * 1000 - at < WROTE_SECONDS * 1000 else None

    _namespace: dict | None = None

    def get_template_namespace(self):
        # Built once a request: a page of 2,000 comments renders each in a template of its own.
        if self._namespace is None:
            self._namespace = super().get_template_namespace()
            self._namespace.update(site=self.site, ago=ago, iso=iso, next_path=self.request.uri,
                                   file_anchor=file_anchor, avatar_url=self.avatar_url,
                                   fallback_avatar=self.fallback_avatar, theme=self.theme, themes=THEMES)
        return dict(self._namespace)

    @property
    def theme(self) -> str:
        """The colour theme this browser chose, kept in a cookie so it needs no account."""
        return theme_named(self.get_cookie(THEME_COOKIE))

    def avatar_url(self, person: dict) -> str:
        """A person's GitHub avatar, or a generated one. `person` is a user or an embedded author."""
        return person.get("avatar_url") or self.reverse_url("avatar", person["handle"])

    def fallback_avatar(self, handle: str) -> str:
        """The generated avatar an <img data-fallback> shows when its GitHub picture fails to load (site.js)."""
        return self.reverse_url("avatar", (handle or "").lower())

    async def sign_in(self, user: dict) -> None:
        """A new session; the one this browser had (if any) ends, so none is left behind."""
        await self.services.auth.end_session(self._session_cookie())
        try:
            session = await self.services.auth.start_session(user)
        except Suspended as error:
            raise UserError(403, str(error)) from None
        self.set_signed_cookie(
            SESSION_COOKIE, session, expires_days=SESSION_DAYS,
            httponly=True, samesite="Lax", secure=self.site.secure_cookies,
        )

    async def sign_out(self) -> None:
        await self.services.auth.end_session(self._session_cookie())
        self.clear_cookie(SESSION_COOKIE)

    def redirect_local(self, next_url: str | None) -> None:
        self.redirect(local_path(next_url), status=303)

    def wants_json(self) -> bool:
        """A script (site.js) sent the form and wants JSON; a browser posting the form wants a page."""
        return "application/json" in self.request.headers.get("Accept", "")

    def not_modified(self, key: bytes) -> bool:
        """A public answer whose ETag is the hash of `key`: True when a 304 went out instead."""
        # Every page shows the visitor's theme (a cookie): the ETag covers it, and a shared
        # cache keeps a copy per Cookie header, so nobody gets a page themed for someone else.
        self.set_header("Etag", f'"{hashlib.sha1(key + self.theme.encode()).hexdigest()}"')
        self.set_header("Cache-Control", f"public, max-age={PUBLIC_MAX_AGE}")
        self.add_header("Vary", "Cookie")
        if self.check_etag_header():
            self.set_status(304)
            self.finish()
            return True
        return False

    def compute_etag(self):
        # A page that depends on the session is never stored (no-store): no ETag to hash for.
        return None if self.current_user else super().compute_etag()

    def render_public(self, template: str, content=None, **kwargs) -> None:
        """Render a page whose content is `kwargs`; for anonymous readers, once: a 304 to its ETag,
        and the same bytes to everyone else asking for the same page with the same content.
        `content` stands for `kwargs` in that key where it is cheaper to tell apart (a listing's digest)."""
        if self.current_user:
            return self.render(template, **kwargs)
        content = sorted(kwargs.items()) if content is None else content
        key = repr((RELEASE, template, self.request.uri, self.theme, content)).encode()
        if self.not_modified(key):
            return None
        html = PUBLIC_PAGES.get(key)
        if html is None:
            html = self.render_string(template, **kwargs)
            PUBLIC_PAGES.put(key, html, len(key) + len(html))
        self.finish(html)

    async def page_of(self, listing):
        """Await a listing (services/discovery.py); a page past its last one is a 404 saying how many there are."""
        try:
            return await listing
        except PageNotFound as error:
            raise UserError(404, str(error)) from None

    def render_listing(self, template: str, listing, pager_args: dict, **kwargs) -> None:
        """A listing page: its items as `gists`, numbered pages keeping `pager_args` in their links."""
        self.render_public(template, listed(listing, pager_args=pager_args, **kwargs),
                           gists=listing.items, listing=listing, pager_args=pager_args, **kwargs)

    def render_form(self, template: str, status: int, **kwargs) -> None:
        """Show a form again with the input kept and a message."""
        self.set_status(status)
        self.render(template, **kwargs)

    def page_argument(self) -> int:
        try:
            page = int(self.get_argument("page", "1"))
        except ValueError:
            raise UserError(400, "The page number must be a whole number.") from None
        if not 1 <= page <= 10_000:
            raise UserError(400, "The page number is out of range.")
        return page

    def log_exception(self, typ, value, tb):
        if database_unavailable(value):
            log.warning("%s %s: database unavailable: %s", self.request.method, self.request.path, value)
        else:
            super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs):
        error = kwargs.get("exc_info", (None, None, None))[1]
        if database_unavailable(error):
            status_code = 503
            self.set_status(503)
        message = getattr(error, "user_message", None) or {
            404: "There is nothing here. The address may be mistyped, or the page was removed.",
            403: "You are not allowed to do that.",
            429: "Too many requests; please slow down.",
            503: "The database is not answering right now. Please try again in a few seconds.",
            500: "Something went wrong on our side. It has been logged; please try again shortly.",
        }.get(status_code, "")
        if status_code == 403 and "xsrf" in str(getattr(error, "log_message", "") or ""):
            message = "This form has expired. Go back, reload the page and try again."
        details = None
        if self.settings.get("serve_traceback") and "exc_info" in kwargs:
            details = "".join(traceback.format_exception(*kwargs["exc_info"]))
        reason = http.client.responses.get(status_code, "Error")
        self.render("error.html", status=status_code, reason=reason, message=message, details=details)


class ScriptOrFormHandler(BaseHandler):
    """A form site.js may also send, asking for JSON: its errors come back as {"error": message} then."""

    def write_error(self, status_code: int, **kwargs):
        if not self.wants_json():
            return super().write_error(status_code, **kwargs)
        error = kwargs.get("exc_info", (None, None, None))[1]
        self.finish({"error": getattr(error, "user_message", None) or self._reason})


class NotFoundHandler(BaseHandler):
    """Any address no route matches."""

    async def prepare(self):
        await super().prepare()
        raise tornado.web.HTTPError(404)
