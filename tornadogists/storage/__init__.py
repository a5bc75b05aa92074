"""Storage: the only place that names collections. Named queries return plain dicts or None."""

from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase

from tornadogists.storage.api_tokens import ApiTokens
from tornadogists.storage.authors import AuthorCopies
from tornadogists.storage.banned_hosts import BannedHosts
from tornadogists.storage.comments import Comments
from tornadogists.storage.discussion import Discussion
from tornadogists.storage.gist_imports import GistImports
from tornadogists.storage.gists import Gists
from tornadogists.storage.github_allowance import GitHubAllowance
from tornadogists.storage.github_comments import GitHubComments
from tornadogists.storage.leases import Leases
from tornadogists.storage.revisions import Revisions
from tornadogists.storage.loves import Loves
from tornadogists.storage.moderation_log import ModerationLog
from tornadogists.storage.notifications import NotificationWindows, Notifications
from tornadogists.storage.outbox import Outbox
from tornadogists.storage.personal_data import PersonalData
from tornadogists.storage.rate_limits import RateLimits
from tornadogists.storage.reports import Reports
from tornadogists.storage.search_index import SqliteSearchIndex
from tornadogists.storage.sessions import Sessions
from tornadogists.storage.stats import Stats
from tornadogists.storage.submit_guards import SubmitGuards
from tornadogists.storage.text_search import MongoTextSearch
from tornadogists.storage.tokens import SignInTokens
from tornadogists.storage.users import Users


class Storage:
    """Every collection the site uses, behind named queries."""

    def __init__(self, db: AsyncDatabase, search_index: Path | None = None):
        """`search_index`: the SQLite file search uses; None: MongoDB's own text indexes."""
        self.db = db
        self.users = Users(db.users)
        self.tokens = SignInTokens(db.sign_in_tokens)
        self.sessions = Sessions(db.sessions)
        self.gists = Gists(db.gists, db.gist_files, db.listing_counts, Discussion(db.gists, db.comments))
        # Upstream (issue 11): revisions, GitHub's comments, and how GitHub's allowance is spent.
        self.revisions = Revisions(db.gist_revisions, db.gist_revision_files)
        self.github_comments = GitHubComments(db.comments)
        self.leases = Leases(db.rate_limits)
        self.github_allowance = GitHubAllowance(db.rate_limits)
        self.gist_imports = GistImports(db.gist_imports)   # a person's own gists, imported at once (issue 20)
        self.loves = Loves(db.loves)
        self.outbox = Outbox(db.mail_outbox)
        self.rate_limits = RateLimits(db.rate_limits)
        self.authors = AuthorCopies(self.gists, db.comments)
        self.comments = Comments(db.comments)
        self.submit_guards = SubmitGuards(db.submit_guards)
        self.notifications = Notifications(db.notifications)
        self.notification_windows = NotificationWindows(db.notification_windows)
        self.api_tokens = ApiTokens(db.api_tokens)
        # Moderation (issue 10).
        self.reports = Reports(db.reports)
        self.moderation_log = ModerationLog(db.moderation_log)
        self.banned_hosts = BannedHosts(db.banned_hosts)
        self.stats = Stats(db)
        # Your data (issue 20): a person's export and the erasure of their account.
        self.personal_data = PersonalData(db)
        # Search (issue 17): one interface, two engines (storage/search_index.py, storage/text_search.py).
        self.search = (SqliteSearchIndex(search_index, db.gists, db.gist_files, db.comments) if search_index
                       else MongoTextSearch(self.gists, self.comments))

    async def ping(self) -> None:
        await self.db.command("ping")
