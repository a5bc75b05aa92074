"""The live discussion socket: new, edited and deleted comments pushed to an open gist page."""

import datetime
import json
import logging

import tornado.web
import tornado.websocket

from tornadogists.handlers.base import BaseHandler, UserError

log = logging.getLogger(__name__)


class GistLiveHandler(tornado.websocket.WebSocketHandler, BaseHandler):
    """Pushes {type, id, container, line, at, html} for each change; `?since=` (ms) replays what was missed."""

    # Keeps idle connections alive through proxies and notices dead ones (no pong in 30 s: closed).
    ping_interval = 30
    # The page only listens: anything longer than a close frame's reason is not from it.
    max_message_size = 1024

    async def get(self, gist_id):
        # A 404 before the upgrade, rather than a socket that never says anything.
        if not await self.services.live.exists(gist_id, self.current_user):
            raise tornado.web.HTTPError(404)
        ip = self.request.remote_ip
        if not self.services.live.admit(ip):
            raise UserError(429, "Too many live pages are open from your network; close some and reload.")
        try:
            # Returns when the socket closes, whichever way: the place is given back exactly once.
            await super().get(gist_id)
        finally:
            self.services.live.leave(ip)

    async def open(self, gist_id):
        self.gist_id = gist_id
        self.sent = {}   # comment id -> changed_at already pushed on this socket
        self.unsent = 0  # bytes handed to the socket that the reader has not taken yet
        # Subscribe first, then replay: a change in between arrives twice and is sent once.
        self.services.live.subscribe(gist_id, self)
        try:
            views = await self.services.live.since(gist_id, self._since(), self._version())
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

    def _version(self) -> int | None:
        """The gist version the page was built from, if it said."""
        value = self.get_argument("version", "")
        return int(value) if value.isdigit() and len(value) < 19 else None

    def comments_changed(self, views) -> None:
        for view in views:
            if self.ws_connection is None:   # dropped as too slow
                return
            if self.sent.get(view.id) == view.changed_at:
                continue
            self.sent[view.id] = view.changed_at
            # Rendered for this socket's viewer: the same markup, buttons and forms as the page.
            html = self.render_string("comments/comment.html", c=view, inline=False).decode()
            self._send({**view.event(self.current_user), "html": html})

    def _send(self, message: dict) -> None:
        data = json.dumps(message)   # ASCII: characters are bytes
        if self.unsent and self.unsent + len(data) > self.site.live_buffer_bytes:
            # A reader this far behind (or one that never reads) would have us hold its backlog.
            log.info("live comments for %s: dropping a reader %d bytes behind", self.gist_id, self.unsent)
            self.services.live.unsubscribe(self.gist_id, self)
            return self.close(1013, "too far behind; reconnect")
        try:
            written = self.write_message(data)
        except tornado.websocket.WebSocketClosedError:
            return
        self.unsent += len(data)
        written.add_done_callback(lambda future: self._taken(future, len(data)))

    def _taken(self, future, size: int) -> None:
        self.unsent -= size
        if not future.cancelled():
            future.exception()   # a socket closed meanwhile: nothing to report

    def on_message(self, message):
        pass  # the page only listens

    def on_close(self):
        if hasattr(self, "gist_id"):
            self.services.live.unsubscribe(self.gist_id, self)
