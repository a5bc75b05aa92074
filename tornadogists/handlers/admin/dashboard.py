"""The dashboard, the moderation log and the banned hosts."""

from tornadogists.handlers.admin.base import AdminHandler
from tornadogists.handlers.base import UserError
from tornadogists.services.spam import InvalidHost


class DashboardHandler(AdminHandler):
    """Counts, queues, GitHub's allowance, the database's health and 30 days of activity."""

    async def get(self):
        self.render("admin/dashboard.html", board=await self.services.admin.dashboard())


class LogHandler(AdminHandler):
    """Every moderation action, newest first: who, what, when, why."""

    async def get(self):
        page = self.page_argument()
        entries, has_next = await self.services.admin.log(page)
        self.render("admin/log.html", entries=entries, page=page, has_next=has_next)


class HostsHandler(AdminHandler):
    """Hosts whose links hold a new comment or intro for review: the list, adding and removing one."""

    async def get(self):
        self.render("admin/hosts.html", hosts=await self.services.admin.hosts())

    async def post(self):
        action, why = self.choice("action", ("add", "remove")), self.reason()
        host = self.get_argument("host", "")
        if action == "add":
            try:
                await self.services.admin.ban_host(host, self.current_user, why)
            except InvalidHost as error:
                raise UserError(400, str(error)) from None
        elif not await self.services.admin.unban_host(host, self.current_user, why):
            raise UserError(404, "That host is not on the list.")
        self.back("admin-hosts")
