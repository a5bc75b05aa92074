"""Submitting a gist, its page, its raw files."""

import tornado.web

from tornadogists.github import GitHubError
from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.gists import InvalidSubmission
from tornadogists.services.limits import RateLimited
from tornadogists.text.gist_urls import InvalidGistURL
from tornadogists.text.tags import InvalidTags


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
        self.redirect(self.reverse_url("gist", gist["gist_id"]), status=303)


class GistHandler(BaseHandler):
    """A gist: its files highlighted, its love button, its discussion."""

    async def get(self, gist_id):
        page = await self.services.gist_page.load(gist_id, self.current_user)
        if page is None:
            raise tornado.web.HTTPError(404)
        self.render("gists/show.html", gist=page.gist, loved=page.loved, page=page)


class GistRefreshHandler(BaseHandler):
    """Re-fetch a gist from GitHub now."""

    @tornado.web.authenticated
    async def post(self, gist_id):
        try:
            gist = await self.services.gists.refresh(gist_id)
        except GitHubError as error:
            raise UserError(error.status, error.user_message) from None
        if gist is None:
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("gist", gist_id), status=303)


class GistRawHandler(BaseHandler):
    """A file's exact text."""

    async def get(self, gist_id, filename):
        content = await self.services.gists.raw_file(gist_id, filename)
        if content is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.write(content.encode("utf-8"))
