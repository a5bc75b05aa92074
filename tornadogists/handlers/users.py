"""People: a person's public page and its tabs, and the most loved people."""

import tornado.web

from tornadogists.handlers.base import BaseHandler, listed


class UserHandler(BaseHandler):
    """A person's profile and one tab: the gists they submitted, their comments, or what they loved."""

    def initialize(self, tab: str = "submitted"):
        self.tab = tab

    async def get(self, handle):
        person = await self.page_of(self.services.discovery.person(handle, self.tab, self.page_argument()))
        if person is None:
            raise tornado.web.HTTPError(404)
        listing = person["listing"]
        self.render_public("users/show.html", listed(listing, user=person["user"], tab=person["tab"]),
                           page=listing.page, pager_args={}, **person)


class PeopleHandler(BaseHandler):
    """People whose gists were loved the most."""

    async def get(self):
        self.render_public("people.html", people=await self.services.discovery.people())
