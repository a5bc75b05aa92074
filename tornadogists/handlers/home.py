"""The home page and the health check."""

from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.discovery import UnknownSort


class HomeHandler(BaseHandler):
    """Gists 20 a page: newest, most discussed lately, or most loved."""

    async def get(self):
        page = self.page_argument()
        sort = self.get_argument("sort", "latest")
        try:
            gists, has_next = await self.services.discovery.home(sort, page)
        except UnknownSort as error:
            raise UserError(400, str(error)) from None
        self.render_public("home.html", gists=gists, sort=sort, page=page, has_next=has_next)


class HealthHandler(BaseHandler):
    """JSON status of the site and its database."""

    async def prepare(self):
        pass  # no session lookup: the database may be the thing that is down

    async def get(self):
        health = await self.services.health()
        if health["status"] != "ok":
            self.set_status(503)
        self.write(health)
