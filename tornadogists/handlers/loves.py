"""Loving a gist, with or without JavaScript."""

import tornado.web

from tornadogists.handlers.base import ScriptOrFormHandler, UserError
from tornadogists.services.limits import RateLimited
from tornadogists.services.loves import HiddenGist


class GistLoveHandler(ScriptOrFormHandler):
    """Toggle the signed-in person's love: JSON for scripts, a redirect back for forms."""

    @tornado.web.authenticated
    async def post(self, gist_id):
        try:
            state = await self.services.loves.toggle(gist_id, self.current_user)
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        except HiddenGist as error:
            raise UserError(409, str(error)) from None
        if state is None:
            raise tornado.web.HTTPError(404)
        loved, loves = state
        if self.wants_json():
            return self.write({"loved": loved, "loves": loves})
        self.redirect(self.reverse_url("gist", gist_id), status=303)

