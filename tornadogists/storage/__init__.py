"""Storage: the only place that names collections. Named queries return plain dicts or None."""

from pymongo.asynchronous.database import AsyncDatabase

from tornadogists.storage.authors import AuthorCopies
from tornadogists.storage.comments import Comments
from tornadogists.storage.gists import Gists
from tornadogists.storage.loves import Loves
from tornadogists.storage.notifications import NotificationWindows, Notifications
from tornadogists.storage.outbox import Outbox
from tornadogists.storage.rate_limits import RateLimits
from tornadogists.storage.submit_guards import SubmitGuards
from tornadogists.storage.tokens import SignInTokens
from tornadogists.storage.users import Users


class Storage:
    """Every collection the site uses, behind named queries."""

    def __init__(self, db: AsyncDatabase):
        self.db = db
        self.users = Users(db.users)
        self.tokens = SignInTokens(db.sign_in_tokens)
        self.gists = Gists(db.gists, db.gist_files)
        self.loves = Loves(db.loves)
        self.outbox = Outbox(db.mail_outbox)
        self.rate_limits = RateLimits(db.rate_limits)
        self.authors = AuthorCopies(db.gists, db.comments)
        self.comments = Comments(db.comments)
        self.submit_guards = SubmitGuards(db.submit_guards)
        self.notifications = Notifications(db.notifications)
        self.notification_windows = NotificationWindows(db.notification_windows)

    async def ping(self) -> None:
        await self.db.command("ping")
