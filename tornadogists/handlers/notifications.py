"""Unsubscribing from discussion e-mails with the link in one of them, without signing in."""

from tornadogists.handlers.base import BaseHandler, UserError

BAD_LINK = "This unsubscribe link is not valid. Sign in and choose your e-mails on your account page."


class UnsubscribeHandler(BaseHandler):
    """GET asks, POST does: mail scanners open links, and must not unsubscribe anyone."""

    def check_xsrf_cookie(self):
        # RFC 8058: the one-click POST comes from the mail provider, with no cookies. The
        # HMAC token in the URL is what proves the link was ours, so no XSRF token is needed.
        pass

    def get(self, user_id, token):
        if not self.services.notifications.valid_link(user_id, token):
            raise UserError(400, BAD_LINK)
        self.render("comments/unsubscribe.html", done=False)

    async def post(self, user_id, token):
        if not await self.services.notifications.unsubscribe(user_id, token):
            raise UserError(400, BAD_LINK)
        self.render("comments/unsubscribe.html", done=True)
