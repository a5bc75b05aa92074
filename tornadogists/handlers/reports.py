"""Reporting a gist or a comment to the moderators."""

import tornado.web

from tornadogists.handlers.base import BaseHandler
from tornadogists.handlers.comments import signed_in
from tornadogists.services.limits import RateLimited
from tornadogists.services.reports import InvalidReport


class ReportHandler(BaseHandler):
    """`reason` (spam, abuse, off-topic, other) and an optional `note`; a second report replaces the first."""

    @signed_in
    async def post(self, gist_id, comment_id=None):
        reason, note = self.get_argument("reason", ""), self.get_argument("note", "")
        back = self.reverse_url("gist", gist_id) + (f"#comment-{comment_id}" if comment_id else "")
        try:
            item = await self.services.reports.report(gist_id, comment_id, self.current_user, reason, note,
                                                      self.request.remote_ip)
        except (InvalidReport, RateLimited) as error:
            status = 429 if isinstance(error, RateLimited) else 400
            return self.render_form("reports/form.html", status, action=self.request.path, back=back,
                                    reason=reason, note=note, error=str(error))
        if item is None:
            raise tornado.web.HTTPError(404)
        self.render("reports/sent.html", kind=item.kind, back=back)
