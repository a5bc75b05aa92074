"""AdminHandler: the area does not exist for anyone but admins; the form fields every admin POST shares."""

import tornado.web

from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.bans import MAX_REASON


class AdminHandler(BaseHandler):
    """Admins only: anyone else gets the site's 404, never a sign-in page (the area does not reveal itself).

    Every POST needs `_xsrf` (the application checks it before `prepare`) and every action
    is written to the moderation log by the service that does it.
    """

    async def prepare(self):
        await super().prepare()
        if not (self.current_user and self.current_user.get("is_admin")):
            raise tornado.web.HTTPError(404)
        self.set_header("X-Robots-Tag", "noindex")

    def choice(self, name: str, allowed) -> str:
        value = self.get_argument(name, "")
        if value not in allowed:
            raise UserError(400, f"Unknown {name} “{value[:40]}”: use one of {', '.join(allowed)}.")
        return value

    def reason(self, required: bool = False) -> str:
        """Why, for the log: one line of at most MAX_REASON characters."""
        text = " ".join(self.get_argument("reason", "").split())
        if len(text) > MAX_REASON:
            raise UserError(400, f"The reason is too long: at most {MAX_REASON} characters.")
        if required and not text:
            raise UserError(400, "Say why: the reason is kept in the moderation log.")
        return text

    async def item(self):
        """The gist or comment named by the `item` field ("gist:<id>" or "comment:<id>")."""
        item = await self.services.moderation.by_key(self.get_argument("item", ""))
        if item is None:
            raise UserError(404, "There is no such gist or comment any more; it may have been deleted meanwhile.")
        return item

    def back(self, route: str, *args, anchor: str = "") -> None:
        self.redirect(self.reverse_url(route, *args) + anchor, status=303)
