"""Services: the site's rules, as plain async functions over storage, GitHub and mail."""

import datetime

from tornadogists.services.auth import AuthService
from tornadogists.services.gists import GistService


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Services:
    """One object a handler reaches through `self.services`."""

    def __init__(self, storage, github, mailer, settings, clock=utc_now):
        self.storage = storage
        self.auth = AuthService(storage, mailer, settings, clock)
        self.gists = GistService(storage, github, settings, clock)
