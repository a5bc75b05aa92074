"""Full-text search."""

from tornadogists.handlers.base import BaseHandler
from tornadogists.services.limits import RateLimited
from tornadogists.services.search import InvalidQuery


class SearchHandler(BaseHandler):
    """Gists matching words in their description, tags, files or comments; the form alone for no query."""

    async def get(self):
        query = self.get_argument("q", "")
        page = self.page_argument()
        try:
            found = await self.services.search.search(query, page, client_ip=self.request.remote_ip)
        except (InvalidQuery, RateLimited) as error:
            status = 429 if isinstance(error, RateLimited) else 400
            return self.render_form("search.html", status, query=query, found=None, page=page, error=str(error))
        self.render("search.html", query=query, found=found, page=page, error=None)
