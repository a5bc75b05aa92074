"""Fixtures: one database server per run, an emptied database per test, a fake GitHub, the site on a free port."""

import asyncio
import os
import re
import tempfile
import uuid
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlencode

import pytest
import pytest_asyncio
import tornado.testing
from pymongo import AsyncMongoClient

from tests.client import Client
from tests.browser import browser, page  # noqa: F401 - fixtures
from tests.fake_github import fake_github  # noqa: F401 - a fixture
from tornadogists.config import Settings
from tornadogists.db.embedded_db import EmbeddedDatabase
from tornadogists.db.migrate import apply_migrations
from tornadogists.server import Site

HELLO_GIST = "aa5a315d61ae9438b18d"
DATABASE_NAME = f"test_{uuid.uuid4().hex[:12]}"   # this process's: see database_name


@pytest.fixture(scope="session")
def database_uri():
    """TORNADOGISTS_TEST_MONGODB_URI when set (a real MongoDB), else one embedded server for the run."""
    uri = os.environ.get("TORNADOGISTS_TEST_MONGODB_URI")
    if uri:
        yield uri
        return
    # A directory of its own: pytest prunes old runs' tmp_path directories, even while they run.
    with tempfile.TemporaryDirectory(prefix="tornadogists-test-db-") as directory:
        server = EmbeddedDatabase(Path(directory) / "test.sqlite").start()
        yield server.uri
        server.stop()


@pytest.fixture
def free_socket():
    sock, port = tornado.testing.bind_unused_port()
    yield sock, port
    sock.close()


@pytest.fixture(scope="session")
def migrated_indexes(database_uri) -> dict:
    """Every collection's indexes as the migrations leave a new database: made once, on a scratch one."""
    async def migrated() -> dict:
        client = AsyncMongoClient(database_uri)
        scratch = client[f"migrated_{uuid.uuid4().hex[:12]}"]
        try:
            await apply_migrations(scratch)
            return await indexes_of(scratch)
        finally:
            await client.drop_database(scratch.name)
            await client.close()
    return asyncio.run(migrated())


async def indexes_of(db) -> dict:
    """collection -> its indexes, as index_information gives them but for the database's name in each."""
    names = [name for name in await db.list_collection_names() if name != "migrations"]
    found = await asyncio.gather(*(db[name].index_information() for name in names))
    return {name: {index: {key: value for key, value in spec.items() if key != "ns"} for index, spec in indexes.items()}
            for name, indexes in zip(names, found)}


@pytest_asyncio.fixture
async def database_name(database_uri, migrated_indexes):
    """One database for the session's tests (each xdist worker has its own), empty at each test's start.

    Emptied after each test, not dropped: a new database ran every migration again, 0.5–0.7 s of
    each test. Where a test changed what the migrations made (dropped an index or a collection),
    it is dropped instead, and the next test's site migrates a new one."""
    name = DATABASE_NAME
    yield name
    client = AsyncMongoClient(database_uri)
    try:
        db = client[name]
        found = await indexes_of(db)
        if any(found.get(collection) != indexes for collection, indexes in migrated_indexes.items()):
            await client.drop_database(name)
        else:
            await asyncio.gather(*(db[collection].delete_many({}) if collection in migrated_indexes
                                   else db[collection].drop() for collection in found))
    finally:
        await client.close()


@pytest.fixture
def settings(tmp_path, database_uri, database_name, fake_github, free_socket):  # noqa: F811
    port = free_socket[1]
    return Settings(
        port=port, site_url=f"http://127.0.0.1:{port}", data_dir=str(tmp_path),
        mongodb_uri=database_uri, mongodb_database=database_name,
        cookie_secret="test-cookie-secret", github_api_url=fake_github.base_url,
        github_oauth_url=fake_github.base_url, mail_backend="file", admins="admin@example.com",
    )


@pytest_asyncio.fixture
async def site(settings, free_socket):
    running = await Site(settings).open()
    running.listen(sockets=[free_socket[0]])
    yield running
    await running.close()   # database_name empties the database next


@pytest_asyncio.fixture
async def client(site, settings):
    c = Client(settings.site_url)
    yield c
    c.close()


@pytest_asyncio.fixture
async def db(site):
    return site.db


class Outbox:
    """The file mail backend's directory, read the way a person reads their inbox."""

    def __init__(self, directory: Path):
        self.directory = directory

    def messages(self) -> list:
        if not self.directory.exists():
            return []
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(self.directory.glob("*.eml"))]

    async def wait_for(self, count: int, timeout: float = 10):
        for _ in range(int(timeout * 20)):
            found = self.messages()
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"expected {count} messages, found {len(self.messages())}")

    async def last_link(self, count: int = 1) -> str:
        message = (await self.wait_for(count))[-1]
        text = message.get_content()
        return re.search(r"https?://\S+", text).group(0)

    async def link_for(self, email: str, after: int = 0, timeout: float = 10) -> str:
        """The link in the first message to `email` past the first `after` (other mail may come between)."""
        for _ in range(int(timeout * 20)):
            for message in self.messages()[after:]:
                if email.lower() in message["To"].lower():   # the address as the site spells it
                    return re.search(r"https?://\S+", message.get_content()).group(0)
            await asyncio.sleep(0.05)
        raise AssertionError(f"no message to {email} after the first {after}")


@pytest.fixture
def outbox(settings):
    return Outbox(Path(settings.data_dir) / "outbox")


async def sign_in(client: Client, outbox: Outbox, email: str = "ada@example.com", next_path: str = "/"):
    """Sign in through the e-mailed link, as a person would."""
    before = len(outbox.messages())
    response = await client.post("/auth/email", {"email": email, "next": next_path})
    assert response.code == 200, response.text
    return await open_sign_in_link(client, await outbox.link_for(email, before))


async def open_sign_in_link(client: Client, link: str):
    """Open a mailed sign-in link and press its one button (a GET alone signs nobody in)."""
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    opened = await client.get(path)
    assert opened.code == 200 and "Sign in as" in opened.text, opened.text
    response = await client.post(path)
    assert response.code == 303, response.text
    return response


async def github_callback(client: Client, next_path: str = "/") -> str:
    """Click "Sign in with GitHub", let the fake GitHub answer: the callback path it sends the browser to."""
    start = await client.get("/auth/github?" + urlencode({"next": next_path}))
    assert start.code == 302, start.text
    answer = await client.http.fetch(start.location, follow_redirects=False, raise_error=False)
    assert answer.code == 302, answer.body
    return answer.headers["Location"].removeprefix(client.base_url)


async def sign_in_with_github(client: Client, next_path: str = "/"):
    """The whole GitHub round trip (the fake's user: see FakeGitHub.set_user); the callback's response."""
    return await client.get(await github_callback(client, next_path))


@pytest_asyncio.fixture
async def signed_in(client, outbox):
    await sign_in(client, outbox)
    return client
