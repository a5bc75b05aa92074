"""Tags: the cloud, a tag's gists, editing a gist's tags, suggestions while typing."""

import tornado.web

from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.limits import RateLimited
from tornadogists.services.tags import NotAllowed
from tornadogists.text.tags import InvalidTags


class TagsHandler(BaseHandler):
    """Every tag, sized by use."""

    async def get(self):
        tags, digest = await self.services.tags.cloud_and_digest()
        self.render_public("tags/index.html", digest, tags=tags)


class TagHandler(BaseHandler):
    """The gists carrying one tag, newest first."""

    async def get(self, tag):
        listing = await self.page_of(self.services.tags.gists(tag, self.page_argument()))
        if listing is None:
            raise tornado.web.HTTPError(404)
        self.render_listing("tags/show.html", listing, {}, tag=tag)


class TagSuggestHandler(BaseHandler):
    """JSON: existing tags starting with what is being typed."""

    async def prepare(self):
        pass  # the same answer for everyone: no session lookup on every keystroke

    async def get(self):
        self.write({"tags": await self.services.tags.suggestions(self.get_argument("q", ""))})


class GistTagsHandler(BaseHandler):
    """Change a gist's tags: its submitter and admins."""

    @tornado.web.authenticated
    async def post(self, gist_id):
        text = self.get_argument("tags", "")
        try:
            tags = await self.services.tags.edit(gist_id, self.current_user, text)
        except InvalidTags as error:
            return await self.show_form(gist_id, text, str(error))
        except NotAllowed as error:
            raise UserError(403, str(error)) from None
        except RateLimited as error:
            raise UserError(429, str(error)) from None
        if tags is None:
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("gist", gist_id), status=303)

    async def show_form(self, gist_id: str, text: str, error: str) -> None:
        """The form again, on its own page, with the input kept and what was wrong."""
        gist = await self.services.tags.gist(gist_id)
        if gist is None:
            raise tornado.web.HTTPError(404)
        self.render_form("gists/tags.html", 400, gist=gist, tags=text, error=error)
