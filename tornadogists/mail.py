"""Mail: a queue in MongoDB, a background sender with retries, and console / file / smtp backends."""

import asyncio
import datetime
import logging
import secrets
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import aiosmtplib

from tornadogists.background import Periodic

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = datetime.timedelta(minutes=5)
IDLE_SECONDS = 30


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class UnfoldedHeader(str):
    """A header sent on one line as it is (a header object, in email.policy's terms).

    The policy would fold a long URL into RFC 2047 encoded words, and List-Unsubscribe
    readers do not decode those; one line of printable ASCII stays well under 998 characters.
    """

    def __new__(cls, name: str, value: str):
        if not value.isascii() or not value.isprintable() or len(name) + len(value) > 900:
            raise ValueError(f"not a one-line ASCII header: {name}")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def build_message(sender: str, to: str, subject: str, text: str, headers: dict | None = None) -> EmailMessage:
    """`headers` are extra ones of printable ASCII, such as List-Unsubscribe."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(domain="tornadogists")
    for name, value in (headers or {}).items():
        message[name] = UnfoldedHeader(name, value)
    # 8bit keeps every line — and so every link — whole in the text/plain part.
    message.set_content(text, cte="8bit")
    return message


class ConsoleBackend:
    async def send(self, message: EmailMessage) -> None:
        log.info("mail to %s: %s\n%s", message["To"], message["Subject"], message.get_content())


class FileBackend:
    """One RFC 5322 file per message in {data_dir}/outbox, named <UTC timestamp>-<id>.eml."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    async def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{_now():%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}.eml"
        data = message.as_bytes()
        # A small local write; done in a thread so a slow disk never stalls the loop.
        await asyncio.to_thread(_write_whole, self.directory / name, data)


def _write_whole(path: Path, data: bytes) -> None:
    """Write under another name, then rename: a reader of *.eml never sees half a message."""
    part = path.with_suffix(".part")
    part.write_bytes(data)
    part.replace(path)


class SMTPBackend:
    def __init__(self, settings):
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        await aiosmtplib.send(
            message, hostname=s.smtp_host, port=s.smtp_port,
            username=s.smtp_username or None, password=s.smtp_password or None,
            start_tls=s.smtp_starttls, timeout=30,
        )


def make_backend(settings):
    if settings.mail_backend == "file":
        return FileBackend(Path(settings.data_dir) / "outbox")
    if settings.mail_backend == "smtp":
        return SMTPBackend(settings)
    return ConsoleBackend()


class Mailer:
    """Queue messages in the outbox collection; a background task sends them."""

    def __init__(self, outbox, backend, sender: str):
        self.outbox = outbox
        self.backend = backend
        self.sender = sender
        self._loop = Periodic(self._deliver_due, IDLE_SECONDS, "mail queue")

    async def send(self, to: str, subject: str, text: str, headers: dict | None = None) -> None:
        message = {"to": to, "subject": subject, "text": text} | ({"headers": headers} if headers else {})
        await self.outbox.add(message, _now())
        self._loop.wake()

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _deliver_due(self) -> None:
        while await self.deliver_one():
            pass

    async def deliver_one(self) -> bool:
        """Send one due message; return False when none is due."""
        doc = await self.outbox.claim(_now(), LEASE)
        if doc is None:
            return False
        try:
            await self.backend.send(build_message(self.sender, doc["to"], doc["subject"], doc["text"],
                                                  doc.get("headers")))
        except Exception as error:
            delay = datetime.timedelta(seconds=30 * 2 ** doc["attempts"])
            log.warning("mail to %s failed (attempt %d): %s", doc["to"], doc["attempts"], error)
            await self.outbox.retry_later(doc["_id"], _now() + delay, str(error), doc["attempts"] >= MAX_ATTEMPTS)
            return True
        await self.outbox.sent(doc["_id"], _now())
        return True
