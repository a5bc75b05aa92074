"""Services: the site's rules, as plain async functions over storage, GitHub and mail."""

import datetime
import logging

from pymongo.errors import PyMongoError

from tornadogists.services.accounts import AccountService
from tornadogists.services.admin import AdminService
from tornadogists.services.api_tokens import ApiAccess
from tornadogists.services.auth import AuthService
from tornadogists.services.bans import BanService
from tornadogists.services.cache import TTLCache
from tornadogists.services.comments import CommentService
from tornadogists.services.discovery import DiscoveryService
from tornadogists.services.feeds import FeedService
from tornadogists.services.gist_page import GistPageService
from tornadogists.services.gists import PER_PAGE, GistService
from tornadogists.services.imports import ImportService
from tornadogists.services.images import ImageProxy
from tornadogists.services.live import CommentFeed
from tornadogists.services.loves import LoveService
from tornadogists.services.moderation import ModerationService
from tornadogists.services.notifications import NotificationService
from tornadogists.services.reactions import ReactionService
from tornadogists.services.rendering import Renderer
from tornadogists.services.reports import ReportService
from tornadogists.services.trust import TrustService
from tornadogists.services.revisions import RevisionService
from tornadogists.services.search import SearchService
from tornadogists.services.spam import SpamCheck
from tornadogists.services.tags import TagService
from tornadogists.services.upstream import Upstream
from tornadogists.services.your_data import YourDataService
from tornadogists.text.images import image_key

log = logging.getLogger(__name__)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Services:
    """One object a handler reaches through `self.services`."""

    def __init__(self, storage, github, mailer, settings, secret: str, clock=utc_now, watchdog=None):
        self.storage = storage
        self.watchdog = watchdog  # the embedded database's supervisor, when there is one
        self.accounts = AccountService(storage, mailer, settings, clock)
        self.auth = AuthService(storage, mailer, settings, clock, self.accounts)
        # One queue for all Markdown and gist files; `secret` also signs the image proxy's addresses.
        renderer = Renderer(settings.render_seconds, image_key(secret))
        self.images = ImageProxy(settings, renderer.image_key)
        self.spam = SpamCheck(storage, settings, clock)   # scores new comments and intros (issue 10)
        # Discussion: `secret` (the cookie secret) signs the unsubscribe links in its e-mails.
        self.notifications = NotificationService(storage, mailer, settings, secret, clock)
        # Revisions, GitHub's comments and its allowance (issue 11); admin: self.upstream.github_rate_limit().
        self.upstream = Upstream(storage, github, settings, clock, renderer, self.spam, self.notifications)
        self.gists = GistService(storage, github, settings, clock, renderer, self.spam, self.upstream)
        self.imports = ImportService(storage, github, self.gists, self.upstream, clock)   # one's own gists (issue 20)
        self.revisions = RevisionService(storage, github, self.upstream, renderer, settings, clock)
        # Listings, tags and feeds are read far more than written: a few seconds of cache.
        listings = TTLCache(seconds=5)
        self.loves = LoveService(storage, clock)
        self.reactions = ReactionService(storage, clock)   # on comments (issue 19)
        self.tags = TagService(storage, listings, clock, PER_PAGE)
        self.discovery = DiscoveryService(storage, listings, clock, PER_PAGE, settings.sitemap_urls)
        self.search = SearchService(storage, listings, PER_PAGE, settings, clock)
        self.feeds = FeedService(storage, listings)
        self.moderation = ModerationService(storage, self.notifications, self.gists, clock)
        self.comments = CommentService(storage, self.notifications, clock, renderer, self.spam, self.moderation)
        self.live = CommentFeed(storage, settings, clock, revisions=self.revisions)
        self.gist_page = GistPageService(self.gists, storage, clock, settings.page_cache_bytes, self.revisions)
        self.api = ApiAccess(storage, settings, clock)   # tokens and allowances of the JSON API (issue 12)
        # Moderation (issue 10): reports, hiding, bans; the admin area's dashboard.
        self.reports = ReportService(storage, self.moderation, TrustService(storage, clock), settings, clock)
        self.bans = BanService(storage, self.moderation, clock)
        self.your_data = YourDataService(storage, mailer, settings, clock, self.moderation)   # issue 20
        self.admin = AdminService(storage, github, self.health, clock, listings)

    async def health(self) -> dict:
        """What /healthz reports: "ok", or which part failed and how."""
        try:
            await self.storage.ping()
        except PyMongoError as error:
            log.warning("health check: database failed: %s", error)
            state = self.watchdog.state if self.watchdog and self.watchdog.state != "ok" else "unreachable"
            return {"status": "error", "database": state}
        return {"status": "ok", "database": "ok"}
