"""The first-segment route index (tornadogists/routing.py) finds what Tornado's own lookup finds."""

import pytest
import tornado.httputil

from tests.fuzz_inputs import Inputs
from tests.test_fuzz import every_route
from tornadogists.app import make_app
from tornadogists.handlers.base import NotFoundHandler
from tornadogists.handlers.feeds import RobotsHandler
from tornadogists.routing import first_segment

ODD_PATHS = ["/", "*", "", "/Gists/abc", "/feeds/", "/feeds/gists.atom/", "/static/site.css", "/favicon.ico",
             "/robots.txt", "/tags.json", "/tags/python/feed.atom", "//gists", "/gists%2Fnew", "/%FF"]


def handler_classes(app, path: str):
    """(the index's handler class, Tornado's) for a GET of `path`."""
    request = tornado.httputil.HTTPServerRequest(
        start_line=tornado.httputil.RequestStartLine("GET", path, "HTTP/1.1"),
        headers=tornado.httputil.HTTPHeaders(Host="127.0.0.1"))
    ours = app.find_handler(request).handler_class
    tornados = app.default_router.find_handler(request)
    return ours, tornados.handler_class if tornados else NotFoundHandler


def test_every_route_and_odd_path_reaches_the_handler_tornado_would_pick(settings):
    app = make_app(settings, None, "unused")
    inputs = Inputs(7, ["aa5a315d61ae9438b18d", "octocat", "python"])
    paths = [inputs.path(pattern) for _ in range(20) for _, pattern, _ in every_route(settings)]
    assert len(paths) > 1000
    for path in paths + ODD_PATHS:
        ours, tornados = handler_classes(app, path)
        assert ours is tornados, path
    assert handler_classes(app, "/robots.txt")[0] is RobotsHandler   # not the static file handler


@pytest.mark.parametrize("pattern", [r"/(favicon\.ico)$", r"/gists[0-9]+$", r"([a-z]+)/x$", r"/a(?:b)?$"])
def test_a_route_without_a_literal_first_segment_is_refused_at_start(pattern):
    with pytest.raises(ValueError, match="literal first segment"):
        first_segment(pattern)


def test_every_named_route_reverses_to_the_path_tornado_would_give(settings):
    app = make_app(settings, None, "unused")
    named = [spec for spec in app.wildcard_router.rules if spec.name]
    assert len(named) == len(app.named) > 50
    for spec in named:
        args = ["a b/ü"] * (spec.regex.groups or 0)
        assert answer(app.reverse_url, spec.name, *args) == answer(app.default_router.reverse_url, spec.name, *args)
    with pytest.raises(KeyError):
        app.reverse_url("no-such-route")


def answer(reverse, *args):
    try:
        return reverse(*args)
    except ValueError as error:   # a pattern Tornado cannot reverse
        return str(error)
