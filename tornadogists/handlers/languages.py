"""Languages: every language the gists are written in, and one language's gists."""

import tornado.web

from tornadogists.handlers.base import BaseHandler


class LanguagesHandler(BaseHandler):
    """Every language the gists are written in, with how many."""

    async def get(self):
        self.render_public("languages/index.html", languages=await self.services.discovery.languages())


class LanguageHandler(BaseHandler):
    """The gists having a file in one language, newest first."""

    async def get(self, slug):
        found = await self.page_of(self.services.discovery.language(slug, self.page_argument()))
        if found is None:
            raise tornado.web.HTTPError(404)
        language, listing = found
        self.render_listing("languages/show.html", listing, {}, language=language)
