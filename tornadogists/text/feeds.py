"""Atom 1.0 and RSS 2.0 documents (feedgen) from plain entries, and the HTML each entry carries."""

import dataclasses
import datetime
import re

from feedgen.feed import FeedGenerator
from tornado.escape import xhtml_escape

from tornadogists.text.images import absolute_images
from tornadogists.text.markdown import sanitize_html

# An empty feed's `updated`: fixed, so the document (and its ETag) stays the same between requests.
EPOCH = datetime.datetime(2011, 1, 1, tzinfo=datetime.UTC)
# What XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF): one such
# character in a comment or a description would make the whole document fail to build.
XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FEED_LINES = 60  # of a gist's first file (kept at import): enough to recognise it, short enough for a reader


@dataclasses.dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    author: str
    author_uri: str | None
    published: datetime.datetime
    updated: datetime.datetime
    content: str  # sanitised HTML


@dataclasses.dataclass(frozen=True)
class Feed:
    title: str
    subtitle: str
    link: str  # the HTML page the feed follows
    self_url: str  # also the feed's id: stable as long as site_url is
    entries: list[Entry]

    @property
    def updated(self) -> datetime.datetime:
        return max((entry.updated for entry in self.entries), default=EPOCH)


def gist_updated(gist: dict) -> datetime.datetime:
    """When a gist last changed as far as readers care: submitted here, or edited on GitHub since."""
    submitted = gist["submitted_at"]
    return max(submitted, gist.get("github_updated_at") or submitted)


def gist_content(gist: dict, gist_url: str) -> str:
    """The description, the intro and the first shown file's first lines, highlighted."""
    parts = [f"<p>{xhtml_escape(gist['description'])}</p>" if gist.get("description") else ""]
    parts.append(absolute_images(gist.get("intro_html") or "", gist_url))
    first = gist.get("first")
    if first and first.get("line_count"):
        parts.append(f"<p><strong>{xhtml_escape(first['name'])}</strong></p>")
        parts.append('<pre class="highlight">' + first["head_html"] + "</pre>")
    if gist.get("tags"):
        parts.append("<p>Tags: " + ", ".join(xhtml_escape(tag) for tag in gist["tags"]) + "</p>")
    parts.append(f'<p><a href="{xhtml_escape(gist_url)}">Discuss it on TornadoGists</a></p>')
    return sanitize_html("\n".join(parts))


def comment_content(comment: dict, gist_title: str, gist_url: str) -> str:
    """The comment's own (already sanitised) HTML and the gist it belongs to."""
    place = ""
    if comment.get("file"):
        place = f", on <code>{xhtml_escape(comment['file'])}</code> line {int(comment.get('line') or 0)}"
    link = f'<p>On <a href="{xhtml_escape(gist_url)}">{xhtml_escape(gist_title)}</a>{place}</p>'
    return sanitize_html(absolute_images(comment.get("html", ""), gist_url) + "\n" + link)


def xml_safe(value):
    """A string with the characters XML cannot carry taken out; anything else as it is."""
    return XML_ILLEGAL.sub("", value) if isinstance(value, str) else value


def _cleaned(item):
    """A Feed or Entry with every string field xml_safe: the one place all a feed carries passes."""
    return dataclasses.replace(item, **{field.name: xml_safe(getattr(item, field.name))
                                        for field in dataclasses.fields(item) if field.name != "entries"})


def render(feed: Feed, kind: str) -> bytes:
    """The feed as an Atom ("atom") or RSS ("rss") document."""
    feed = dataclasses.replace(_cleaned(feed), entries=[_cleaned(entry) for entry in feed.entries])
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)  # RSS <author> must be an e-mail; dc:creator is a name
    generator.id(feed.self_url)
    generator.title(feed.title)
    generator.subtitle(feed.subtitle)
    generator.link(href=feed.self_url, rel="self")
    generator.link(href=feed.link, rel="alternate", type="text/html")  # last: feedgen's RSS <link>
    generator.language("en")
    generator.generator("TornadoGists")
    generator.updated(feed.updated)
    for entry in feed.entries:
        item = generator.add_entry(order="append")
        item.id(entry.id)
        item.guid(entry.id, permalink=True)
        item.title(entry.title)
        item.link(href=entry.link, rel="alternate", type="text/html")
        item.author({"name": entry.author, **({"uri": entry.author_uri} if entry.author_uri else {})})
        item.dc.dc_creator(entry.author)
        item.published(entry.published)
        item.updated(entry.updated)
        item.content(entry.content, type="html")
    return generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)
