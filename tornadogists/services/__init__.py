"""Services: the site's rules, as plain async functions over storage, GitHub and mail."""

import datetime

from tornadogists.services.accounts import AccountService
from tornadogists.services.auth import AuthService
from tornadogists.services.cache import TTLCache
from tornadogists.services.comments import CommentService
from tornadogists.services.discovery import DiscoveryService
from tornadogists.services.feeds import FeedService
from tornadogists.services.gist_page import GistPageService
from tornadogists.services.gists import PER_PAGE, GistService
from tornadogists.services.live import CommentFeed
from tornadogists.services.loves import LoveService
from tornadogists.services.notifications import NotificationService
from tornadogists.services.search import SearchService
from tornadogists.services.tags import TagService


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Services:
    """One object a handler reaches through `self.services`."""

    def __init__(self, storage, github, mailer, settings, secret: str, clock=utc_now):
        self.storage = storage
        self.accounts = AccountService(storage, mailer, settings, clock)
        self.auth = AuthService(storage, mailer, settings, clock, self.accounts)
        self.gists = GistService(storage, github, settings, clock)
        # Listings, tags and feeds are read far more than written: a few seconds of cache.
        listings = TTLCache(seconds=5)
        self.loves = LoveService(storage, clock)
        self.tags = TagService(storage, listings, clock, PER_PAGE)
        self.discovery = DiscoveryService(storage, listings, clock, PER_PAGE)
        self.search = SearchService(storage, listings, PER_PAGE)
        self.feeds = FeedService(storage, listings)
        # Discussion: `secret` (the cookie secret) signs the unsubscribe links in its e-mails.
        self.notifications = NotificationService(storage, mailer, settings, secret, clock)
        self.comments = CommentService(storage, self.notifications, clock)
        self.live = CommentFeed(storage, clock)
        self.gist_page = GistPageService(self.gists, self.loves, storage, clock)

    async def check_database(self) -> None:
        """Raise if the database does not answer: what /healthz reports."""
        await self.storage.ping()
