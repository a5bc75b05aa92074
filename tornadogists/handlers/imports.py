"""Importing one's own public gists from GitHub at once (issue 20): the list, the run's progress."""

import tornado.web

from tornadogists.github import GitHubError
from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.imports import ImportRunning, InvalidImport, NotLinked
from tornadogists.services.limits import RateLimited


class ImportHandler(BaseHandler):
    """The person's public gists on GitHub, to tick and import."""

    @tornado.web.authenticated
    async def get(self):
        progress = await self.services.imports.progress(self.current_user)
        try:
            listing = await self.services.imports.listing(self.current_user)
        except NotLinked as error:   # the page says how to link GitHub
            return self.render_list(403, error=str(error), linked=False)
        except GitHubError as error:
            return self.render_list(error.status, error=error.user_message, progress=progress)
        self.render_list(listing=listing, progress=progress)

    def render_list(self, status: int = 200, error: str | None = None, listing: dict | None = None,
                    progress=None, linked: bool = True) -> None:
        self.render_form("gists/import.html", status, error=error, listing=listing, progress=progress,
                         linked=linked)

    @tornado.web.authenticated
    async def post(self):
        ids = None if self.get_argument("all", "") == "1" else self.get_arguments("gist")
        try:
            await self.services.imports.start(self.current_user, ids)
        except NotLinked as error:
            raise UserError(403, str(error)) from None
        except ImportRunning as error:
            raise UserError(409, str(error)) from None
        except InvalidImport as error:
            raise UserError(400, str(error)) from None
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        self.redirect(self.reverse_url("import-progress"), status=303)


class ImportProgressHandler(BaseHandler):
    """How far the person's import has gone; POST: go on now if GitHub allows it again."""

    @tornado.web.authenticated
    async def get(self):
        progress = await self.services.imports.progress(self.current_user)
        if progress is None:
            return self.redirect(self.reverse_url("import"))
        self.render("gists/import_progress.html", progress=progress)

    @tornado.web.authenticated
    async def post(self):
        try:
            await self.services.imports.progress(self.current_user, resume=True)
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        self.redirect(self.reverse_url("import-progress"), status=303)
