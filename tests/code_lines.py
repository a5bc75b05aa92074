"""Read a gist page's code as a browser would: the items of each `ol.code`, whose `</li>` is left out.
A line's first link holds its number: kept apart from the line's text."""

from html.parser import HTMLParser


class _Items(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self._lists = 0            # open ol/ul elements
        self._code_level = None    # self._lists inside the current ol.code
        self._item = None
        self._in_number = False    # inside a line's first link

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ol", "ul"):
            self._lists += 1
            if tag == "ol" and "code" in (attrs.get("class") or "").split() and self._code_level is None:
                self._code_level = self._lists
        elif tag == "li" and self._lists == self._code_level:
            kind = "line" if "id" in attrs else (attrs.get("class") or "")
            self._item = {"kind": kind, "id": attrs.get("id"), "data_line": attrs.get("data-line"),
                          "href": None, "number": "", "text": "", "comments": []}
            self.items.append(self._item)
        elif self._item is not None:
            if tag == "a" and self._item["href"] is None and self._item["kind"] == "line":
                self._item["href"] = attrs.get("href")
                self._in_number = True
            if tag == "article" and "comment" in (attrs.get("class") or "").split():
                self._item["comments"].append(attrs.get("data-id"))

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_number = False
        if tag in ("ol", "ul"):
            if self._lists == self._code_level:
                self._code_level, self._item = None, None
            self._lists -= 1

    def handle_data(self, data):
        if self._item is not None and self._item["kind"] == "line":
            self._item["number" if self._in_number else "text"] += data


def code_items(html: str) -> list[dict]:
    """Every item of every `ol.code`, in page order: {"kind": "line" (with "id", "href", "number", "text") or
    the item's class (e.g. "line-comments", with "data_line" and the "comments" ids it holds)}."""
    parser = _Items()
    parser.feed(html)
    parser.close()
    return parser.items


def lines_of(html: str, n: int) -> list[dict]:
    """File n's lines, in order."""
    return [item for item in code_items(html) if item["kind"] == "line" and item["id"].startswith(f"file-{n}-L")]
