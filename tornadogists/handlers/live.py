"""The live discussion socket: new, edited and deleted comments pushed to an open gist page."""

import datetime
import json
import logging

import tornado.web
import tornado.websocket

from tornadogists.handlers.base import BaseHandler

log = logging.getLogger(__name__)


class GistLiveHandler(tornado.websocket.WebSocketHandler, BaseHandler):
    """Pushes {type, id, container, line, at, html} for each change; `?since=` (ms) replays what was missed."""

    # Keeps idle connections alive through proxies and notices dead ones.
    ping_interval = 30

    async def get(self, gist_id):
        # A 404 before the upgrade, rather than a socket that never says anything.
        if not await self.services.live.exists(gist_id):
            raise tornado.web.HTTPError(404)
        await super().get(gist_id)

    async def open(self, gist_id):
        self.gist_id = gist_id
        self.sent = {}   # comment id -> updated_at already pushed on this socket
        # Subscribe first, then replay: a change in between arrives twice and is sent once.
        self.services.live.subscribe(gist_id, self)
        try:
            views = await self.services.live.since(gist_id, self._since())
        except Exception as error:  # the database is down, or the site is stopping: the page retries
            log.warning("live comments for %s: %s", gist_id, error)
            return self.close(1011, "try again")
        if views is None:
            self._send({"type": "reload"})
        else:
            self.comments_changed(views)

    def _since(self) -> datetime.datetime:
        try:
            ms = int(self.get_argument("since", ""))
            return datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC)
        except (ValueError, OverflowError, OSError):
            return datetime.datetime.now(datetime.UTC)

    def comments_changed(self, views) -> None:
        for view in views:
            if self.sent.get(view.id) == view.doc["updated_at"]:
                continue
            self.sent[view.id] = view.doc["updated_at"]
            # Rendered for this socket's viewer: the same markup, buttons and forms as the page.
            html = self.render_string("comments/comment.html", c=view, inline=False).decode()
            self._send({**view.event(), "html": html})

    def _send(self, message: dict) -> None:
        try:
            self.write_message(json.dumps(message))
        except tornado.websocket.WebSocketClosedError:
            pass

    def on_message(self, message):
        pass  # the page only listens

    def on_close(self):
        if hasattr(self, "gist_id"):
            self.services.live.unsubscribe(self.gist_id, self)
