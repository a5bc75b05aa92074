"""The mail queue: nothing is lost while SMTP is down, and it is delivered once SMTP is back."""

import dataclasses
import datetime
from email import message_from_bytes, policy

import tornado.testing

from tests.fake_smtp import FakeSMTP
from tornadogists.mail import Mailer, SMTPBackend
from tornadogists.storage import Storage

LINK = "http://127.0.0.1:8888/auth/email/" + "x" * 60


async def test_mail_waits_in_the_queue_until_smtp_answers(db, settings):
    sock, port = tornado.testing.bind_unused_port()
    sock.close()  # nothing listens there yet: SMTP is down
    smtp_settings = dataclasses.replace(settings, mail_backend="smtp", smtp_host="127.0.0.1",
                                        smtp_port=port, smtp_starttls=False)
    storage = Storage(db)
    mailer = Mailer(storage.outbox, SMTPBackend(smtp_settings), settings.mail_from)
    await mailer.send("ada@example.com", "Sign in", f"Open this:\n\n{LINK}\n")

    assert await mailer.deliver_one() is True
    queued = await db.mail_outbox.find_one()
    assert queued["status"] == "queued" and queued["attempts"] == 1 and queued["last_error"]
    assert await mailer.deliver_one() is False  # not due again yet: no hammering a dead server

    smtp = FakeSMTP()
    await smtp.start(port)
    try:
        past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
        await db.mail_outbox.update_one({}, {"$set": {"due_at": past}})
        assert await mailer.deliver_one() is True
    finally:
        await smtp.stop()
    assert (await db.mail_outbox.find_one())["status"] == "sent"
    [raw] = smtp.messages
    message = message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "ada@example.com"
    assert LINK in message.get_content().splitlines()  # the link is whole on its own line
