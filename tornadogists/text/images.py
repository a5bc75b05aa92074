"""Images in rendered text sent through the site's image proxy (camo-style signed addresses), each with an alt. Pure."""

import base64
import binascii
import hashlib
import hmac
import html
import posixpath
import re
import urllib.parse

PROXY_PREFIX = "/images/"
SIGNATURE_CHARS = 32   # 128 bits of HMAC-SHA256, in hex
# nh3's output: `<img` and attributes, each `name="value"` with `"` escaped in the value.
_IMG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def image_key(secret: str) -> bytes:
    """The proxy's signing key, derived from the cookie secret so that neither can be read from the other."""
    return hmac.new(secret.encode(), b"tornadogists image proxy", hashlib.sha256).digest()


def _signature(key: bytes, url: str) -> str:
    return hmac.new(key, url.encode(), hashlib.sha256).hexdigest()[:SIGNATURE_CHARS]


def proxy_path(key: bytes, url: str) -> str:
    """/images/{signature}/{url in base64url}: the address the proxy serves `url` at."""
    encoded = base64.urlsafe_b64encode(url.encode()).rstrip(b"=").decode()
    return f"{PROXY_PREFIX}{_signature(key, url)}/{encoded}"


def signed_url(key: bytes, signature: str, encoded: str) -> str | None:
    """The image address behind a proxy path's two parts; None unless this site signed it."""
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return url if hmac.compare_digest(_signature(key, url), signature) else None


def proxy_images(markup: str, key: bytes) -> str:
    """Sanitised HTML with every <img> loaded through the proxy and given an alt; an image
    with no web address (`<img src=x>`) becomes its alt text."""
    return _IMG.sub(lambda match: _proxied(match, key), markup)


def absolute_images(markup: str, page_url: str) -> str:
    """Proxied images addressed in full, for HTML read away from the site (a feed reader)."""
    return markup.replace(f'src="{PROXY_PREFIX}', f'src="{urllib.parse.urljoin(page_url, PROXY_PREFIX)}')


def _proxied(match: re.Match, key: bytes) -> str:
    attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}
    url = attributes.get("src", "")
    alt = attributes.get("alt", "").strip() or _file_name(url)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return html.escape(alt, quote=False)
    attributes.update(src=proxy_path(key, url), alt=alt, loading="lazy")
    return "<img " + " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items()) + ">"


def _file_name(url: str) -> str:
    """What an image is called when its writer gave it no alt: the last part of its path, else "image"."""
    name = posixpath.basename(urllib.parse.unquote(urllib.parse.urlsplit(url).path))
    return name[:100] or "image"
