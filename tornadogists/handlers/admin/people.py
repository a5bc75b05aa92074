"""Finding people by handle or e-mail, banning and unbanning them."""

from urllib.parse import urlencode

import tornado.web

from tornadogists.handlers.admin.base import AdminHandler
from tornadogists.handlers.base import UserError
from tornadogists.services.bans import BanRefused


class PeopleHandler(AdminHandler):
    """`?q=` searches handles and e-mail addresses (by their start); a POST bans or unbans one person."""

    async def get(self):
        query = self.get_argument("q", "")
        self.render("admin/people.html", query=query, people=await self.services.admin.people(query))

    async def post(self):
        action = self.choice("action", ("ban", "unban"))
        why = self.reason(required=True)
        user_id = self.get_argument("user", "")
        change = self.services.bans.ban if action == "ban" else self.services.bans.unban
        try:
            user = await change(user_id, self.current_user, why)
        except BanRefused as error:
            raise UserError(400, str(error)) from None
        if user is None:
            raise tornado.web.HTTPError(404)
        self.redirect(self.reverse_url("admin-people") + "?" + urlencode({"q": user["handle"]}), status=303)
