"""The home page and the health check."""

from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.discovery import DEFAULT_SORT, UnknownSort


class HomeHandler(BaseHandler):
    """Gists 20 a page: hot, newest, most discussed lately, or most loved."""

    async def get(self):
        page = self.page_argument()
        sort = self.get_argument("sort", DEFAULT_SORT)
        try:
            listing = await self.page_of(self.services.discovery.home(sort, page))
        except UnknownSort as error:
            raise UserError(400, str(error)) from None
        self.render_listing("home.html", listing, {"sort": sort} if sort != DEFAULT_SORT else {},
                            sort=sort, default_sort=DEFAULT_SORT)


class HealthHandler(BaseHandler):
    """JSON status of the site and its database."""

    async def prepare(self):
        pass  # no session lookup: the database may be the thing that is down

    async def get(self):
        health = await self.services.health()
        if health["status"] != "ok":
            self.set_status(503)
        self.write(health)
