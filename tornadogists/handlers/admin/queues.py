"""The report queue (keep, remove, ban the author) and the held-for-review queue (publish, remove)."""

from tornadogists.handlers.admin.base import AdminHandler
from tornadogists.handlers.base import UserError
from tornadogists.services.bans import BanRefused


class ReportsHandler(AdminHandler):
    """Reported items, most reported first; an admin keeps one, removes it or bans its author."""

    async def get(self):
        self.render("admin/reports.html", entries=await self.services.reports.queue())

    async def post(self):
        action = self.choice("action", ("keep", "remove", "ban"))
        why = self.reason(required=action == "ban")
        item, admin = await self.item(), self.current_user
        if action == "keep":
            await self.services.reports.keep(item, admin, why)
        elif action == "remove":
            await self.services.moderation.remove(item, admin, why)
        else:
            try:
                await self.services.bans.ban_author(item, admin, why)
            except BanRefused as error:
                raise UserError(400, str(error)) from None
            await self.services.reports.removed(item, "banned")
        self.back("admin-reports")


class HeldHandler(AdminHandler):
    """Items the spam score held: an admin publishes one or removes it."""

    async def get(self):
        self.render("admin/held.html", entries=await self.services.admin.held())

    async def post(self):
        action, why = self.choice("action", ("publish", "remove")), self.reason()
        item = await self.item()
        if action == "publish":
            await self.services.moderation.publish(item, self.current_user, why)
        else:
            await self.services.moderation.remove(item, self.current_user, why)
        self.back("admin-held")
