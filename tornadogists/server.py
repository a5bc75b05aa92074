"""Wire the parts together: database, migrations, services, background tasks, HTTP server."""

import asyncio
import logging
import secrets
import time
from pathlib import Path

import tornado.httpserver
import pymongo
from pymongo import AsyncMongoClient

from tornadogists.app import compile_templates, make_app
from tornadogists.db.db_watchdog import DatabaseWatchdog
from tornadogists.db.embedded_db import EmbeddedDatabase
from tornadogists.github import GitHubClient
from tornadogists.http_limits import http_server_options
from tornadogists.mail import Mailer, make_backend
from tornadogists.db.migrate import apply_migrations
from tornadogists.services import Services
from tornadogists.storage import Storage

log = logging.getLogger(__name__)

# Every database operation gives up after this long, so a page answers 503 instead of hanging.
DATABASE_TIMEOUT_MS = 5000
MIGRATION_SECONDS = 3600   # an index built or a backfill on a big database takes longer than a request may


async def within(seconds: float, step, what: str) -> None:
    """Await one shutdown step, but never longer than `seconds`: a frozen database must not hold shutdown."""
    started = time.monotonic()
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:  # ours, or the step's own time limit
        log.warning("shutdown: %s timed out after %.1f s; going on without it", what, time.monotonic() - started)


def cookie_secret(settings) -> str:
    """The configured secret, or one generated once and kept in data_dir."""
    if settings.cookie_secret:
        return settings.cookie_secret
    path = Path(settings.data_dir) / "cookie_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Site:
    """A running TornadoGists: open() connects and migrates, listen() serves, close() stops it all."""

    def __init__(self, settings):
        self.settings = settings
        self.embedded: EmbeddedDatabase | None = None
        self.watchdog: DatabaseWatchdog | None = None
        self.client: AsyncMongoClient | None = None
        self.http_server = None
        self.mailer = None
        self.services = None
        self.search_engine = settings.search_engine   # open() resolves "auto"; a worker is told (run.py)

    @property
    def db(self):
        return self.client[self.settings.mongodb_database]

    async def open(self, worker: bool = False) -> "Site":
        """Connect; a worker of several (tornadogists/processes.py) leaves the database and migrations to its parent."""
        uri = self.settings.mongodb_uri
        if uri == "embedded" and not worker:
            self.embedded = EmbeddedDatabase(Path(self.settings.data_dir) / "mongo.sqlite")
            await asyncio.to_thread(self.embedded.start)
            uri = self.embedded.uri
            self.watchdog = DatabaseWatchdog(self.embedded)
        self.client = AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=3000,
                                       timeoutMS=DATABASE_TIMEOUT_MS)
        if worker:  # no ping: a worker replaced while the database restarts serves 503s, not a crash loop
            return self
        await self.client.admin.command("ping")
        with pymongo.timeout(MIGRATION_SECONDS):
            await apply_migrations(self.db)
        self.search_engine = await self._search_engine()
        if self.watchdog:
            self.watchdog.start()
        return self

    async def _search_engine(self) -> str:
        """sqlite on the embedded server (its $text is a scan), mongodb's own text indexes elsewhere."""
        if self.settings.search_engine != "auto":
            return self.settings.search_engine
        if self.embedded:
            return "sqlite"
        info = await self.client.admin.command("buildInfo")
        return "sqlite" if info.get("gitVersion") == "mongoeco" else "mongodb"

    def make_app(self):
        s = self.settings
        index = Path(s.data_dir) / f"search-{s.mongodb_database}.sqlite" if self.search_engine != "mongodb" else None
        storage = Storage(self.db, index)
        self.mailer = Mailer(storage.outbox, make_backend(s), s.mail_from)
        github = GitHubClient(s.github_api_url, s.github_token, s.max_file_bytes)
        secret = cookie_secret(s)
        self.services = Services(storage, github, self.mailer, s, secret, watchdog=self.watchdog)
        return make_app(s, self.services, secret)

    def listen(self, port: int | None = None, address: str | None = None, sockets=None):
        app = self.make_app()
        compile_templates()
        # Behind a proxy, X-Real-IP / X-Forwarded-For name the client, so per-IP limits count people, not the proxy.
        self.http_server = tornado.httpserver.HTTPServer(app, xheaders=self.settings.behind_proxy,
                                                         **http_server_options(self.settings))
        if sockets:
            self.http_server.add_sockets(sockets)
        else:
            self.http_server.listen(port or self.settings.port, address or self.settings.address)
        self.mailer.start()
        self.services.notifications.flusher.start()
        self.services.live.poller.start()
        self.services.gist_page.versions.periodic.start()
        self.services.discovery.sweeper.start()
        self.services.storage.search.start()   # a new search index fills before the first search asks
        return app

    async def close(self, workers=None) -> None:
        """Stop everything within about 8 s, even when the database is frozen or gone.

        `workers` (tornadogists/processes.py) stop meanwhile, before the database, so their last writes land.
        """
        await asyncio.gather(within(4.5, self.watchdog.stop(), "stopping the database watchdog")
                             if self.watchdog else asyncio.sleep(0), workers.stop() if workers else asyncio.sleep(0))
        if self.http_server:
            self.http_server.stop()
            # WebSockets have left the HTTP server's books: the live feed closes them.
            await within(1, self.services.live.stop(), "closing live updates")
            await within(1, self.http_server.close_all_connections(), "closing connections")
        if self.services:
            await within(1.5, self.services.notifications.flusher.stop(), "the notification flusher")
            await within(1, self.services.gist_page.versions.periodic.stop(), "the page version poller")
            await within(1, self.services.discovery.sweeper.stop(), "the discussed counts' sweep")
            await within(1, self.services.imports.stop(), "the imports of people's gists")
        if self.mailer:
            await within(1.5, self.mailer.stop(), "the mail sender")
        if self.services:
            await within(1, self.services.storage.search.close(), "the search index")
        if self.client:
            await within(1, self.client.close(), "closing the database client")
        if self.embedded:
            await asyncio.to_thread(self.embedded.stop, 2)
