"""Full-text search."""

from tornadogists.handlers.base import BaseHandler
from tornadogists.services.limits import RateLimited
from tornadogists.services.search import InvalidQuery, SearchUnavailable
from tornadogists.text.search_query import PLACES, SORTS, with_filters


class SearchHandler(BaseHandler):
    """Gists matching words in their description, tags, files or comments; the form alone for no query."""

    async def get(self):
        query, sort = self.get_argument("q", ""), self.get_argument("sort", "")
        row = {name: self.get_argument(name, "") for name in ("language", "in")}   # the form's filter row
        page = self.page_argument()
        form = {"query": query, "sort": sort, "row": row, "sorts": SORTS, "places": PLACES, "page": page,
                "languages": await self.services.search.languages()}
        try:
            found = await self.services.search.search(with_filters(query, row), page, sort=sort,
                                                      client_ip=self.request.remote_ip, user=self.current_user)
        except (InvalidQuery, RateLimited, SearchUnavailable) as error:
            status = 429 if isinstance(error, RateLimited) else 400
            if isinstance(error, SearchUnavailable):
                status = 503
                self.set_header("Retry-After", error.retry_after)
            return self.render_form("search.html", status, found=None, error=str(error), **form)
        self.render("search.html", found=found, error=None, **form)
