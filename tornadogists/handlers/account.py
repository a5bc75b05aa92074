"""The account page: handle, display name, e-mail, notifications, GitHub, sessions, your data."""

import tornado.web

from tornadogists.handlers.base import BaseHandler, UserError
from tornadogists.services.accounts import AccountError
from tornadogists.services.auth import InvalidToken
from tornadogists.services.limits import RateLimited
from tornadogists.text.emails import InvalidEmail
from tornadogists.text.handles import InvalidHandle

# What the page says after a change: each form answers with a 303 to /account?done=<key>.
DONE = {
    "profile": "Your profile is saved.",
    "email-sent": "We sent a confirmation link to the new address; your address changes when you open it.",
    "email": "Your e-mail address is changed.",
    "notifications": "Your notification settings are saved.",
    "github-linked": "GitHub is linked to your account.",
    "github-unlinked": "GitHub is unlinked from your account.",
    "sessions": "Every browser signed in to your account is signed out, except this one.",
    "delete-sent": "We sent a link to your address: your account is deleted only when you open it "
                   "and press its button, within an hour.",
}


class AccountPageHandler(BaseHandler):
    """Shared by the page and its forms: render it, run a change, answer."""

    def render_account(self, status: int = 200, section: str | None = None, error: str | None = None, **kept):
        """The page; `kept` is the input of a refused form, shown instead of what is stored."""
        user = self.current_user
        values = {"handle": user["handle"], "display_name": user.get("display_name", ""), "email": ""}
        self.set_status(status)
        self.render(
            "account.html", values=values | kept, section=section, error=error,
            notify={"comments": True, "replies": True, "mentions": True} | user.get("notify", {}),
            done=DONE.get(self.get_argument("done", "")) if status == 200 else None,
        )

    async def change(self, section: str, method, *args, **kept) -> dict | None:
        """The updated user, or None after showing the page again with the input kept and why."""
        try:
            return await method(self.current_user, *args)
        except (InvalidHandle, InvalidEmail, AccountError) as error:
            self.render_account(400, section, str(error), **kept)
        except RateLimited as error:
            self.render_account(429, section, str(error), **kept)
        return None

    def done(self, key: str) -> None:
        self.redirect(self.reverse_url("account") + f"?done={key}", status=303)


class AccountHandler(AccountPageHandler):
    """The account page."""

    @tornado.web.authenticated
    def get(self):
        self.render_account()


class AccountProfileHandler(AccountPageHandler):
    """Change the handle and display name."""

    @tornado.web.authenticated
    async def post(self):
        handle, name = self.get_argument("handle", ""), self.get_argument("display_name", "")
        if await self.change("profile", self.services.accounts.update_profile, handle, name,
                             handle=handle, display_name=name):
            self.done("profile")


class AccountEmailHandler(AccountPageHandler):
    """Mail a confirmation link to a new address."""

    @tornado.web.authenticated
    async def post(self):
        email = self.get_argument("email", "")
        if await self.change("email", self.services.accounts.request_email_change, email, email=email):
            self.done("email-sent")


class AccountEmailConfirmHandler(AccountPageHandler):
    """Open the link mailed to a new address: it becomes the account's address."""

    async def get(self, token):
        try:
            await self.services.accounts.confirm_email_change(token)
        except (InvalidToken, AccountError) as error:
            raise UserError(400, str(error)) from None
        self.done("email")


class AccountNotificationsHandler(AccountPageHandler):
    """Which e-mails the discussion sends: comments on my gists, replies to my comments, mentions of me."""

    @tornado.web.authenticated
    async def post(self):
        # An unchecked checkbox sends nothing.
        notify = {name: self.get_argument(f"notify_{name}", None) is not None
                  for name in ("comments", "replies", "mentions")}
        if await self.change("notifications", self.services.accounts.set_notifications, notify):
            self.done("notifications")


class AccountGitHubUnlinkHandler(AccountPageHandler):
    """Unlink GitHub, unless it is the only way left to sign in."""

    @tornado.web.authenticated
    async def post(self):
        if await self.change("github", self.services.accounts.unlink_github):
            self.done("github-unlinked")


class AccountSessionsHandler(AccountPageHandler):
    """Sign out everywhere: every session cookie stops working; this browser gets a fresh one."""

    @tornado.web.authenticated
    async def post(self):
        user = await self.change("sessions", self.services.accounts.sign_out_everywhere)
        if user:
            await self.sign_in(user)
            self.done("sessions")


class AccountExportHandler(AccountPageHandler):
    """Download everything you wrote and set, as a JSON file."""

    @tornado.web.authenticated
    async def post(self):
        data = await self.change("data", self.services.your_data.export)
        if data is not None:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            name = f"tornadogists-{self.current_user['handle']}.json"   # a handle is [a-z0-9-]
            self.set_header("Content-Disposition", f'attachment; filename="{name}"')
            self.finish(data)


class AccountDeleteHandler(AccountPageHandler):
    """Mail a link that deletes the account; the person chose what becomes of their comments."""

    @tornado.web.authenticated
    async def post(self):
        choice = self.get_argument("comments", "")
        if await self.change("delete", self.services.your_data.request_deletion, choice):
            self.done("delete-sent")


class AccountDeleteConfirmHandler(BaseHandler):
    """The mailed link: the GET shows what goes and a button, the POST deletes. Mail scanners only GET."""

    async def get(self, token):
        try:
            user, outcome = await self.services.your_data.pending_deletion(token)
        except InvalidToken as error:
            raise UserError(400, str(error)) from None
        self.render("account_delete.html", token=token, handle=user["handle"], outcome=outcome, deleted=False)

    async def post(self, token):
        try:
            user_id = await self.services.your_data.delete(token)
        except InvalidToken as error:
            raise UserError(400, str(error)) from None
        if self.current_user and self.current_user["_id"] == user_id:
            await self.sign_out()
            self.current_user = None
        self.render("account_delete.html", deleted=True)
