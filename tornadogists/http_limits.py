"""What one HTTP connection may cost the server: how long it may dawdle and how much it may send."""

# The largest form (a 20,000-character comment or introduction, percent-encoded: up to 12
# bytes a character) is under 256 KB; nothing is uploaded.
MAX_BODY_BYTES = 1024 * 1024
# Headers, plus a request pipelined behind the one being read: what a connection's read buffer holds.
MAX_BUFFER_BYTES = 2 * MAX_BODY_BYTES


def http_server_options(settings) -> dict:
    """Keyword arguments for tornado.httpserver.HTTPServer, from Settings."""
    return {
        # Tornado also gives a request's headers this long to arrive, counted from when it starts
        # waiting for them: a client trickling half a header is closed, not held for the default hour.
        "idle_connection_timeout": settings.idle_timeout_seconds,
        "body_timeout": settings.body_timeout_seconds,
        "max_body_size": MAX_BODY_BYTES,
        "max_buffer_size": MAX_BUFFER_BYTES,
    }
