"""The home page and the health check."""

import logging

from tornadogists.handlers.base import BaseHandler

log = logging.getLogger(__name__)


class HomeHandler(BaseHandler):
    """Newest gists, 20 a page."""

    async def get(self):
        page = self.page_argument()
        gists, has_next = await self.services.gists.latest(page)
        self.render("home.html", gists=gists, page=page, has_next=has_next)


class HealthHandler(BaseHandler):
    """JSON status of the site and its database."""

    async def prepare(self):
        pass  # no session lookup: the database may be the thing that is down

    async def get(self):
        try:
            await self.services.storage.ping()
        except Exception as error:
            log.warning("health check: database failed: %s", error)
            self.set_status(503)
            return self.write({"status": "error", "database": "unreachable"})
        self.write({"status": "ok", "database": "ok"})
