"""The OpenAPI document, and the /api page that shows it to people."""

import functools

from tornadogists.handlers.api.base import ApiHandler
from tornadogists.handlers.base import BaseHandler
from tornadogists.openapi import document
from tornadogists.text.api_docs import objects, operations
from tornadogists.text.markdown import render_markdown


@functools.lru_cache(maxsize=4)
def _page(site_url: str) -> dict:
    """What the page shows of the document: built once per site address."""
    spec = document(site_url)
    found = [{**op, "description_html": render_markdown(op["description"])} for op in operations(spec)]
    return {"spec": spec, "operations": found, "objects": objects(spec),
            "intro_html": render_markdown(spec["info"]["description"])}


class OpenApiHandler(ApiHandler):
    """GET /api/v1/openapi.json."""

    def get(self):
        self.write_json(document(self.site.site_url))


class ApiDocsHandler(BaseHandler):
    """The API's documentation, rendered from the OpenAPI document."""

    def get(self):
        self.render("api.html", **_page(self.site.site_url))
