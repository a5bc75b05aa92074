"""A gist's revisions, one revision's files, two revisions compared (issue 11)."""

import tornado.web

from tornadogists.github import GitHubError
from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.limits import RateLimited


class GistRevisionsHandler(BaseHandler):
    """Every revision of a gist the site has seen, newest first."""

    async def get(self, gist_id):
        found = await self.services.revisions.listing(gist_id, self.current_user)
        if found is None:
            raise tornado.web.HTTPError(404)
        gist, revisions = found
        self.render_public("gists/revisions.html", gist=gist, revisions=revisions)


class GistRevisionHandler(BaseHandler):
    """A gist's files as they were at one revision (fetched from GitHub the first time)."""

    async def get(self, gist_id, sha):
        try:
            shown = await self.services.revisions.show(gist_id, sha, self.current_user)
        except GitHubError as error:
            raise UserError(error.status, error.user_message) from None
        if shown is None:
            raise tornado.web.HTTPError(404)
        self.render_public("gists/revision.html", page=None, **shown)


class GistCompareHandler(BaseHandler):
    """What changed from one revision to another, file by file."""

    async def get(self, gist_id, old_sha, new_sha):
        try:
            comparison = await self.services.revisions.compare(gist_id, old_sha, new_sha, self.current_user,
                                                               self.request.remote_ip)
        except GitHubError as error:
            raise UserError(error.status, error.user_message) from None
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        if comparison is None:
            raise tornado.web.HTTPError(404)
        self.render_public("gists/compare.html", gist=comparison.gist, comparison=comparison)
