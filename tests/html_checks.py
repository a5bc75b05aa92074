"""Parse HTML the way a browser would and assert nothing active came from user input."""

from html.parser import HTMLParser

ACTIVE_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta"}
OUR_TAGS = {("script", "src", "/static/"), ("form", "action", "/"), ("meta", "charset", "utf-8"),
            ("meta", "name", "viewport"), ("meta", "name", "description"), ("meta", "name", "twitter:"),
            ("meta", "property", "og:")}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A <meta> that names itself ours but also refreshes or redirects (http-equiv) is not.
        ours = "http-equiv" not in attrs and any(t == tag and (attrs.get(a) or "").startswith(v) for t, a, v in OUR_TAGS)
        if tag in ACTIVE_TAGS and not ours:
            self.problems.append(f"<{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_comment(self, data):
        self.problems.append(f"<!--{data}-->")


def active_content(html: str) -> list[str]:
    """Every script, style, event handler or dangerous URL outside the site's own markup."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems
