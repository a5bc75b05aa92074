"""Full-text search."""

from tornadogists.handlers.base import BaseHandler
from tornadogists.services.search import InvalidQuery


class SearchHandler(BaseHandler):
    """Gists matching words in their description, tags, files or comments; the form alone for no query."""

    async def get(self):
        query = self.get_argument("q", "")
        page = self.page_argument()
        try:
            found = await self.services.search.search(query, page)
        except InvalidQuery as error:
            return self.render_form("search.html", 400, query=query, found=None, page=page, error=str(error))
        self.render("search.html", query=query, found=found, page=page, error=None)
