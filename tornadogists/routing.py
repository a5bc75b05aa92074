"""Route lookup by the path's first segment: a dict lookup, then the few patterns under it.

Tornado tries its rules in order, one regex each, and ours are about ninety: a feed was
found after some sixty failed matches, a tenth of a cached answer's time (py-spy, `make bench`).
The index holds the same rules in the same order, grouped by the literal first segment each
pattern starts with (`/feeds/gists\\.atom` is under "feeds"), so it finds what Tornado's own
lookup would; whatever it does not hold (static files, unknown paths) goes to Tornado's.
"""

import re
from collections import defaultdict

import tornado.web

SEGMENT = re.compile(r"/([a-z0-9-]*)")
# After its first segment, a pattern must go on with something that cannot extend the segment.
SEGMENT_ENDS = ("/", "$", r"\.")


def first_segment(pattern: str) -> str:
    """The literal first segment of a route's pattern (PathMatches ends each with `$`)."""
    found = SEGMENT.match(pattern)
    if not found or not pattern[found.end():].startswith(SEGMENT_ENDS):
        raise ValueError(f"route {pattern!r} must start with a literal first segment")
    return found.group(1)


class Application(tornado.web.Application):
    def __init__(self, handlers: list[tornado.web.URLSpec], **settings):
        super().__init__(handlers, **settings)
        self.by_segment: dict[str, list[tornado.web.URLSpec]] = defaultdict(list)
        for spec in handlers:
            self.by_segment[first_segment(spec.regex.pattern)].append(spec)
        # reverse_url by name at once: Tornado's goes through its routers (a page of 2,000 comments asks 8,000 times).
        self.named = {spec.name: spec.matcher for spec in handlers if spec.name}

    def find_handler(self, request, **kwargs):
        segment = SEGMENT.match(request.path)
        for spec in self.by_segment.get(segment and segment.group(1), ()):
            found = spec.matcher.match(request)
            if found is not None:
                return self.get_handler_delegate(request, spec.target, spec.target_kwargs, **found)
        return super().find_handler(request, **kwargs)

    def reverse_url(self, name: str, *args) -> str:
        matcher = self.named.get(name)
        return matcher.reverse(*args) if matcher else super().reverse_url(name, *args)
