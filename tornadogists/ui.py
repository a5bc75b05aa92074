"""UI modules: fragments repeated across pages."""

import tornado.escape
import tornado.web

from tornadogists.services.gist_page import MAX_FRAGMENTS
from tornadogists.text.pages import page_numbers, page_query
from tornadogists.text.sharing import summary


class GistCard(tornado.web.UIModule):
    """The same card for a gist everywhere it is listed."""

    def render(self, gist):
        return self.render_string("modules/gist_card.html", gist=gist)


class Pager(tornado.web.UIModule):
    """Numbered pages of a listing (services/discovery.py Listing) with rel=prev/next; `args`: the query kept."""

    def render(self, listing, args: dict):
        numbers = page_numbers(listing.page, listing.pages) if listing.pages else []
        return self.render_string("modules/pager.html", listing=listing, numbers=numbers,
                                  href=lambda number: page_query(args, number))


class PagerLinks(tornado.web.UIModule):
    """`<link rel="prev/next">` in the page head: the pager's neighbours, for browsers and crawlers."""

    def render(self, listing, args: dict):
        links = [("prev", listing.page - 1)] if listing.page > 1 else []
        links += [("next", listing.page + 1)] if listing.has_next else []
        return "".join(f'<link rel="{rel}" href="{tornado.escape.xhtml_escape(page_query(args, number))}">'
                       for rel, number in links)


class FeedLink(tornado.web.UIModule):
    """`<link rel="alternate">` in the page head, so browsers and readers find the page's feed."""

    TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml"}

    def render(self, title: str, route: str, *args):
        path = self.handler.reverse_url(route, *args)
        kind = self.TYPES[path[path.rindex("."):]]
        return (f'<link rel="alternate" type="{kind}" title="{tornado.escape.xhtml_escape(title)}" '
                f'href="{tornado.escape.xhtml_escape(self.handler.site.site_url + path)}">')


class Sharing(tornado.web.UIModule):
    """A page's description and Open Graph / Twitter card tags, for links pasted into chat and social sites."""

    def render(self, title: str, description: str, image: str | None = None, kind: str = "website"):
        site = self.handler.site.site_url
        # Only a picture on the web will do (GitHub's avatars); else the site's own.
        if not (image or "").startswith(("https://", "http://")):
            image = site + self.handler.static_url("share.png")
        return self.render_string("modules/sharing.html", title=title, description=summary(description),
                                  image=image, kind=kind, url=site + self.request.path)


class Comment(tornado.web.UIModule):
    """One comment with its replies; `inline` is the copy under a line of code (no id, no anchor)."""

    def render(self, c, inline: bool = False):
        # A cached gist page keeps each rendering, for everyone who stands to it the same way.
        page = getattr(self.handler, "cached_page", None)
        if page is None:
            return self.render_string("comments/comment.html", c=c, inline=inline)
        key = (c.id, inline, c.relations(self.current_user))
        html = page.fragments.get(key)
        if html is None:   # many people's own comments: past MAX_FRAGMENTS the shelf starts over
            html = page.keep(page.fragments, key, self.render_string("comments/comment.html", c=c, inline=inline),
                             MAX_FRAGMENTS)
        return html


class CommentForm(tornado.web.UIModule):
    """The comment form: on the gist, as a reply (`parent`), on a line, for an edit (`action`), or kept after an error."""

    def render(self, gist_id: str, body: str = "", parent: str = "", file: str = "", line="",
               files=None, hidden_line: bool = False, action: str = "", label: str = "Comment"):
        """`files`: offer a file and line choice; `hidden_line`: the file and line come filled in."""
        return self.render_string("comments/form.html", gist_id=gist_id, body=body, parent=parent,
                                  file=file, line=line, files=files, hidden_line=hidden_line,
                                  action=action, label=label)


class ReportForm(tornado.web.UIModule):
    """The "Report" control under a gist or a comment: a form when signed in, else a link to sign in."""

    def render(self, action: str, back: str, reason: str = "", note: str = "", error: str = ""):
        return self.render_string("reports/control.html", action=action, back=back, reason=reason, note=note,
                                  error=error)
