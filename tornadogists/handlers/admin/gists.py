"""One gist as moderators see it: re-fetch it from GitHub, hide or show it, delete it with its discussion."""

import tornado.web

from tornadogists.github import GitHubError
from tornadogists.handlers.admin.base import AdminHandler
from tornadogists.handlers.base import UserError
from tornadogists.services.limits import RateLimited


class AdminGistHandler(AdminHandler):
    """GET: the gist's state, reports and log. POST `action`: refetch, hide, unhide or delete."""

    async def get(self, gist_id):
        found = await self.services.admin.gist(gist_id)
        if found is None:
            raise tornado.web.HTTPError(404)
        self.render("admin/gist.html", **found)

    async def post(self, gist_id):
        action = self.choice("action", ("refetch", "hide", "unhide", "delete"))
        why = self.reason(required=action in ("hide", "delete"))
        item = await self.services.moderation.item("gist", gist_id)
        if item is None:
            raise tornado.web.HTTPError(404)
        moderation = self.services.moderation
        if action == "refetch":
            await self._refetch(gist_id, why)
        else:
            act = {"hide": moderation.hide_gist, "unhide": moderation.show_gist, "delete": moderation.remove}[action]
            await act(item, self.current_user, why)
        self.back("admin-gist", gist_id)

    async def _refetch(self, gist_id: str, why: str) -> None:
        try:
            await self.services.moderation.refetch(gist_id, self.current_user, why)
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        except GitHubError as error:
            raise UserError(error.status, error.user_message) from None
