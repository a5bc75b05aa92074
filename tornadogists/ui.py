"""UI modules: fragments repeated across pages."""

import tornado.web


class GistCard(tornado.web.UIModule):
    """The same card for a gist everywhere it is listed."""

    def render(self, gist):
        return self.render_string("modules/gist_card.html", gist=gist)
