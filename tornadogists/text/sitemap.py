"""sitemap.xml and robots.txt: what search engines may read, and where it is."""

import datetime
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Private pages, sign-in plumbing and search results (endless, thin pages) are not for crawlers.
DISALLOWED = ("/auth/", "/account", "/login", "/logout", "/gists/new", "/search")


def sitemap_xml(urls: list[tuple[str, datetime.datetime | None]]) -> bytes:
    """A sitemaps.org urlset from (absolute URL, last modified or None)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for loc, lastmod in urls:
        modified = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{modified}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_index_xml(files: list[str]) -> bytes:
    """A sitemaps.org sitemapindex naming these sitemap files (absolute URLs)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NAMESPACE}">']
    lines += [f"<sitemap><loc>{escape(loc)}</loc></sitemap>" for loc in files]
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(sitemap_url: str) -> str:
    rules = "".join(f"Disallow: {path}\n" for path in DISALLOWED)
    return f"User-agent: *\n{rules}\nSitemap: {sitemap_url}\n"
