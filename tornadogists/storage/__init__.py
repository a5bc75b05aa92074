"""Storage: the only place that names collections. Named queries return plain dicts or None."""

from pymongo.asynchronous.database import AsyncDatabase

from tornadogists.storage.gists import Gists
from tornadogists.storage.outbox import Outbox
from tornadogists.storage.rate_limits import RateLimits
from tornadogists.storage.tokens import SignInTokens
from tornadogists.storage.users import Users


class Storage:
    """Every collection the site uses, behind named queries."""

    def __init__(self, db: AsyncDatabase):
        self.db = db
        self.users = Users(db.users)
        self.tokens = SignInTokens(db.sign_in_tokens)
        self.gists = Gists(db.gists)
        self.outbox = Outbox(db.mail_outbox)
        self.rate_limits = RateLimits(db.rate_limits)

    async def ping(self) -> None:
        await self.db.command("ping")
