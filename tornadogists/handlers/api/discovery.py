"""The API's people, tags and search."""

import math

from tornadogists.handlers.api.base import ApiError, ApiHandler
from tornadogists.services.limits import RateLimited
from tornadogists.services.search import InvalidQuery, SearchUnavailable
from tornadogists.text.api_json import search_result_json, tag_json, user_json


class UserHandler(ApiHandler):
    """A person's public profile and the gists they submitted last."""

    async def get(self, handle):
        person = await self.services.discovery.person(handle, "submitted", 1)
        if person is None:
            raise ApiError(404, "No one has this handle.")
        self.write_json(user_json(person["user"], person["items"], person["has_next"], self.links))


class TagsHandler(ApiHandler):
    """Every tag in use, most used first."""

    async def get(self):
        self.write_json([tag_json(tag, self.links) for tag in await self.services.tags.cloud()])


class SearchHandler(ApiHandler):
    """Full-text search, best first, a page at a time."""

    async def get(self):
        params = {"q": self.query("q"), "sort": self.query("search_sort"), "per_page": self.query("per_page")}
        page = self.query("page")
        try:
            found = await self.services.search.search(params["q"], page, params["per_page"], self.request.remote_ip,
                                                      sort=params["sort"] or "")
        except InvalidQuery as error:
            raise ApiError(400, str(error), "invalid_query") from None
        except RateLimited as error:
            raise ApiError(429, str(error)) from None
        except SearchUnavailable as error:
            raise ApiError(503, str(error), "search_unavailable", retry_after=error.retry_after) from None
        found = found or {"results": [], "has_next": False, "total": 0}   # a query of no words matches nothing
        last = max(1, math.ceil(found["total"] / params["per_page"]))
        items = [search_result_json(result, self.links) for result in found["results"]]
        self.write_page({"total_count": found["total"], "items": items}, params, page, found["has_next"], last)
