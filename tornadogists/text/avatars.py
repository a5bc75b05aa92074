"""Generated avatars for people without a GitHub picture: their initial on a colour of their own."""

import hashlib

from tornado.escape import xhtml_escape

PALETTE = ["#0b6bcb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#4d2d00", "#1a7f37", "#116329", "#0550ae", "#6e7781"]


def avatar_svg(handle: str) -> str:
    digest = hashlib.sha256(handle.encode()).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    initial = xhtml_escape((handle[:1] or "?").upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" fill="{colour}"/>'
        '<text x="32" y="42" font-family="system-ui,sans-serif" font-size="30" font-weight="600" '
        f'fill="#fff" text-anchor="middle">{initial}</text></svg>'
    )
