"""Wire the parts together: database, migrations, services, background tasks, HTTP server."""

import logging
import secrets
from pathlib import Path

import tornado.httpserver
from pymongo import AsyncMongoClient

from tornadogists.app import make_app
from tornadogists.embedded_db import EmbeddedDatabase
from tornadogists.github import GitHubClient
from tornadogists.mail import Mailer, make_backend
from tornadogists.migrate import apply_migrations
from tornadogists.services import Services
from tornadogists.storage import Storage

log = logging.getLogger(__name__)


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
        self.client: AsyncMongoClient | None = None
        self.http_server = None
        self.mailer = None
        self.services = None

    @property
    def db(self):
        return self.client[self.settings.mongodb_database]

    async def open(self) -> "Site":
        uri = self.settings.mongodb_uri
        if uri == "embedded":
            self.embedded = EmbeddedDatabase(Path(self.settings.data_dir) / "mongo.sqlite").start()
            uri = self.embedded.uri
        self.client = AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        await self.client.admin.command("ping")
        await apply_migrations(self.db)
        return self

    def make_app(self):
        s = self.settings
        storage = Storage(self.db)
        self.mailer = Mailer(storage.outbox, make_backend(s), s.mail_from)
        github = GitHubClient(s.github_api_url, s.github_token, s.max_file_bytes)
        secret = cookie_secret(s)
        self.services = Services(storage, github, self.mailer, s, secret)
        return make_app(s, self.services, secret)

    def listen(self, port: int | None = None, address: str | None = None, sockets=None):
        app = self.make_app()
        self.http_server = tornado.httpserver.HTTPServer(app)
        if sockets:
            self.http_server.add_sockets(sockets)
        else:
            self.http_server.listen(port or self.settings.port, address or self.settings.address)
        self.mailer.start()
        self.services.notifications.flusher.start()
        self.services.live.poller.start()
        return app

    async def close(self) -> None:
        if self.http_server:
            self.http_server.stop()
            # WebSockets have left the HTTP server's books: the live feed closes them.
            await self.services.live.stop()
            await self.http_server.close_all_connections()
        if self.services:
            await self.services.notifications.flusher.stop()
        if self.mailer:
            await self.mailer.stop()
        if self.client:
            await self.client.close()
        if self.embedded:
            self.embedded.stop()
